/** Changes to the healthy snapshot for the permission rules' tests: the role's policies, keys, bucket policies. */
import type { Rule, RuleResult } from '../../../shared/rules/types.js';
import {
  DST_ARN,
  DST_KEY_ARN,
  type MutableSnapshot,
  ROLE_ARN,
  rolePolicy,
  SRC_KEY_ARN,
} from '../../fixtures/snapshots.js';

export type Statement = Record<string, unknown>;

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The replication role of a mutable snapshot. */
export const roleIn = (s: MutableSnapshot) => {
  const role = s.roles[ROLE_ARN];
  if (!role?.known || !role.value) throw new Error('fixture has no role');
  return role.value;
};

/** A fresh copy of the healthy role policy's statements. */
export const healthyStatements = (): Statement[] => structuredClone(rolePolicy.Statement) as Statement[];

/** Replaces the role's only inline policy. */
export const setRoleStatements = (s: MutableSnapshot, statements: Statement[]): void => {
  roleIn(s).inlinePolicies = [
    { name: 'replication', document: { Version: '2012-10-17', Statement: statements } },
  ];
};

/** The healthy statements with `actions` taken out of every statement (statements left empty are dropped). */
export const statementsWithout = (...actions: string[]): Statement[] =>
  healthyStatements().flatMap((st) => {
    const kept = list(st.Action).filter((a) => !actions.includes(a as string));
    return kept.length === 0 ? [] : [{ ...st, Action: kept }];
  });

/** The KMS key of a mutable snapshot. */
export const keyIn = (s: MutableSnapshot, arn: string = SRC_KEY_ARN) => {
  const key = s.keys[arn];
  if (!key?.known || !key.value) throw new Error(`fixture has no key ${arn}`);
  return key.value;
};

export const destinationKeyIn = (s: MutableSnapshot) => keyIn(s, DST_KEY_ARN);

/** The destination phi-dr of a mutable snapshot. */
export const destinationIn = (s: MutableSnapshot, arn: string = DST_ARN) => {
  const d = s.destinations[arn];
  if (!d) throw new Error(`fixture has no destination ${arn}`);
  return d;
};

/** The one result of `rule` on `snapshot`, failing the test when there is not exactly one. */
export const onlyResult = (results: readonly RuleResult[]): RuleResult => {
  if (results.length !== 1) throw new Error(`expected one result, got ${results.length}`);
  return results[0] as RuleResult;
};

/** Evaluates `rule` and returns its single result. */
export const evaluateOne = (rule: Rule, snapshot: Parameters<Rule['evaluate']>[0]): RuleResult =>
  onlyResult(rule.evaluate(snapshot));
