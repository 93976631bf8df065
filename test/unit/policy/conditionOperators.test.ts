import { loadPolicy } from '@cloud-copilot/iam-policy';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoiseConditionOperators } from '../../../shared/policy/conditionOperators.js';
import { decide, resetEngine } from '../../../shared/policy/engine.js';
import { doc, SRC } from './requests.js';

/** The library's parsed operator of a one-condition statement using `op`. */
const operationOf = (op: string) => {
  const condition = loadPolicy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'aws:x': 'y' } } }],
  })
    .statements()[0]
    ?.conditions()[0];
  if (!condition) throw new Error('no condition parsed');
  return condition.operation();
};

describe('memoiseConditionOperators', () => {
  it('is in place, once, however often it is called', () => {
    expect(memoiseConditionOperators()).toBe(true);
    expect(memoiseConditionOperators()).toBe(true);
    const operation = operationOf('Bool');
    expect(operation.baseOperator.name).toBe('memoisedOperatorMethod');
    expect(operation.isIfExists.name).toBe('memoisedOperatorMethod');
  });

  it.each<[string, string, boolean, string | undefined]>([
    ['StringEquals', 'StringEquals', false, undefined],
    ['StringLikeIfExists', 'StringLike', true, undefined],
    ['stringlikeifexists', 'stringlike', true, undefined],
    ['ForAnyValue:StringEquals', 'StringEquals', false, 'ForAnyValue'],
    ['forallvalues:StringLikeIfExists', 'StringLike', true, 'ForAllValues'],
    ['Bool', 'Bool', false, undefined],
  ])('parses %s the same on every call', (op, base, ifExists, set) => {
    memoiseConditionOperators();
    for (let i = 0; i < 3; i++) {
      const operation = operationOf(op);
      expect(operation.baseOperator()).toBe(base);
      expect(operation.isIfExists()).toBe(ifExists);
      expect(operation.setOperator()).toBe(set);
    }
  });

  it('still rejects an unknown set operator on every call (errors are not remembered)', () => {
    memoiseConditionOperators();
    expect(() => operationOf('SomeValues:StringEquals').setOperator()).toThrow(/Unknown set operator/);
    expect(() => operationOf('SomeValues:StringEquals').setOperator()).toThrow(/Unknown set operator/);
  });

  describe('in the simulator', () => {
    beforeEach(resetEngine);

    const withCondition = (condition: Record<string, unknown>, context: Record<string, string>) =>
      decide({
        principal: `arn:aws:sts::${SRC}:assumed-role/repl/replguard-simulated`,
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::phi-prod',
        resourceAccount: SRC,
        context,
        identity: [
          {
            name: 'p',
            document: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: condition }]),
          },
        ],
      });

    it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
      ['IfExists, key absent', { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }, {}, 'Allowed'],
      [
        'IfExists, key present and different',
        { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } },
        { 'aws:SourceVpc': 'vpc-2' },
        'ImplicitlyDenied',
      ],
      ['plain operator, key absent', { StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, {}, 'ImplicitlyDenied'],
      [
        'ForAnyValue, one value matching',
        { 'ForAnyValue:StringLike': { 'aws:SourceVpc': ['vpc-*'] } },
        { 'aws:SourceVpc': 'vpc-2' },
        'Allowed',
      ],
    ])('evaluates %s as before', (_name, condition, context, decision) => {
      expect(withCondition(condition, context)).toBe(decision);
    });
  });
});
