/**
 * Whether a backfill may start: while a rule that stops replication fails (or cannot be judged) on the
 * pair, a Batch Replication job would only fail the same objects again.
 */
import type { RuleResult } from '../model/result.js';
import { blocksReplication } from '../rules/lib/blocking.js';

/** The blocking results of `bucket` (narrowed to one replication rule when given) that do not pass. */
export const blockingResults = (
  results: readonly RuleResult[],
  bucket: string,
  replicationRuleId?: string,
): RuleResult[] =>
  results.filter(
    (r) =>
      r.bucket === bucket &&
      blocksReplication(r.ruleId) &&
      (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN') &&
      (replicationRuleId === undefined ||
        r.replicationRuleId === null ||
        r.replicationRuleId === replicationRuleId),
  );

/** "versioning_destination_enabled (phi-dr): …" one line per blocking result. */
export const describeBlocking = (blocking: readonly RuleResult[]): string[] =>
  blocking.map(
    (r) =>
      `${r.ruleId} ${r.status}${r.destinationBucket ? ` (${r.bucket} -> ${r.destinationBucket})` : ''}: ${r.message}`,
  );
