import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { actionPatternMayMatch, statementMayMatchAction } from '../../../shared/policy/actions.js';
import { decide, resetEngine } from '../../../shared/policy/engine.js';
import { PolicyEvaluationError } from '../../../shared/policy/errors.js';
import { doc, SRC } from './requests.js';

const session = `arn:aws:sts::${SRC}:assumed-role/repl/replguard-simulated`;

/** The simulator's decision for `action` under one identity statement allowing `pattern`; undefined when invalid. */
const simulatorAllows = (pattern: string, action: string): boolean | undefined => {
  try {
    return (
      decide({
        principal: session,
        action,
        resource: '*',
        resourceAccount: SRC,
        context: {},
        identity: [{ name: 'p', document: doc([{ Effect: 'Allow', Action: pattern, Resource: '*' }]) }],
      }) === 'Allowed'
    );
  } catch (error) {
    if (error instanceof PolicyEvaluationError) return undefined;
    throw error;
  }
};

const ACTIONS = [
  's3:GetObjectVersionForReplication',
  's3:GetObjectVersionAcl',
  's3:ListBucket',
  's3:ReplicateObject',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'sts:AssumeRole',
] as const;

describe('actionPatternMayMatch', () => {
  it.each<[string, string, boolean]>([
    ['s3:GetObjectVersionAcl', 's3:GetObjectVersionAcl', true],
    ['S3:getobjectversionacl', 's3:GetObjectVersionAcl', true],
    ['s3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', false],
    ['kms:Decrypt', 's3:GetObjectVersionAcl', false],
    ['s3:Get*', 's3:GetObjectVersionAcl', true],
    ['s3:Get*', 's3:ListBucket', false],
    ['s3:Replicate?bject', 's3:ReplicateObject', true],
    ['s3:*', 's3:ReplicateObject', true],
    ['s*:Get*', 's3:GetObjectVersionAcl', false],
    ['*', 'kms:Decrypt', true],
    // not read literally by the simulator (regular-expression characters): left to it
    ['s3:Get.bjectVersionAcl', 's3:GetObjectVersionAcl', true],
  ])('%s against %s → %s', (pattern, action, expected) => {
    expect(actionPatternMayMatch(pattern, action)).toBe(expected);
  });

  describe('against the simulator', () => {
    beforeEach(resetEngine);

    it('never rules out a pattern the simulator matches, and is exact for plain patterns', () => {
      const service = fc.constantFrom('s3', 'S3', 'kms', 'sts', 's*', 'x');
      const name = fc
        .array(
          fc.constantFrom('Get', 'Object', 'Version', 'Acl', 'Replicate', 'Decrypt', 'g', '*', '?', '.', ''),
          {
            maxLength: 4,
          },
        )
        .map((parts) => parts.join(''));
      const pattern = fc.oneof(
        fc.tuple(service, name).map(([s, n]) => `${s}:${n}`),
        fc.constantFrom('*', '**', 's3:*', 'kms:*', ...ACTIONS),
      );
      const seen = { allowed: 0, denied: 0, ruledOut: 0 };
      fc.assert(
        fc.property(pattern, fc.constantFrom(...ACTIONS), (p, action) => {
          const allowed = simulatorAllows(p, action);
          if (allowed === undefined) return; // the validator rejects it: never simulated
          const may = actionPatternMayMatch(p, action);
          seen[allowed ? 'allowed' : 'denied']++;
          if (!may) seen.ruledOut++;
          if (allowed) expect(may).toBe(true);
          if (/^[A-Za-z0-9]+:[A-Za-z0-9*?]+$/.test(p)) expect(may).toBe(allowed);
        }),
        { numRuns: 300 },
      );
      // the generator reaches every case
      expect(Math.min(seen.allowed, seen.denied, seen.ruledOut)).toBeGreaterThan(0);
    });
  });
});

describe('statementMayMatchAction', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['an Action list with a match', { Action: ['kms:Decrypt', 's3:Get*'] }, true],
    ['an Action list without one', { Action: ['kms:Decrypt', 's3:Put*'] }, false],
    ['a single Action', { Action: 's3:ListBucket' }, false],
    ['a NotAction (left to the simulator)', { NotAction: 's3:GetObjectVersionAcl' }, true],
    ['no Action at all (left to the simulator)', {}, true],
  ])('%s', (_name, statement, expected) => {
    expect(statementMayMatchAction({ Effect: 'Allow', ...statement }, 's3:GetObjectVersionAcl')).toBe(
      expected,
    );
  });
});
