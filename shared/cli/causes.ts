/**
 * Results grouped by cause, for people (table output, the demo, the HTML report): when one thing explains many
 * results (a DR account whose read-only role cannot be assumed makes nine rules UNKNOWN), it is said once, with
 * its fix, followed by the rules it affects. JSON keeps one result per rule.
 */
import type { RuleResult } from '../model/result.js';

export interface CauseGroup {
  /** What is wrong or could not be read, in one sentence. */
  readonly cause: string;
  /** What to do about it. */
  readonly fix: string;
  readonly status: RuleResult['status'];
  /** The results it explains (at least one), in the order given. */
  readonly results: readonly RuleResult[];
}

/** "Could not read the bucket policy of phi-dr: AccessDenied on s3:GetBucketPolicy." → "AccessDenied on …". */
const reasonOf = (message: string): string => {
  const at = message.indexOf(': ');
  return (at >= 0 ? message.slice(at + 2) : message).replace(/\.$/, '');
};

const keyOf = (r: RuleResult): string =>
  r.status === 'UNKNOWN'
    ? ['UNKNOWN', r.accountId, reasonOf(r.message), r.remediation].join('|')
    : ['ONE', r.ruleId, r.accountId, r.bucket, r.destinationBucket ?? '', r.replicationRuleId ?? ''].join(
        '|',
      );

/**
 * The NON_COMPLIANT and UNKNOWN results grouped by cause: UNKNOWN results that share the reason they could not
 * be judged and its fix become one group (cause: the reason); each NON_COMPLIANT result is its own group.
 */
export const groupByCause = (results: readonly RuleResult[]): CauseGroup[] => {
  const groups = new Map<string, RuleResult[]>();
  for (const r of results) {
    if (r.status !== 'NON_COMPLIANT' && r.status !== 'UNKNOWN') continue;
    const key = keyOf(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const first = rs[0] as RuleResult;
    return {
      cause: rs.length > 1 ? `Could not read: ${reasonOf(first.message)}` : first.message,
      fix: first.remediation,
      status: first.status,
      results: rs,
    };
  });
};
