import { type Datum, known } from '../../model/datum.js';
import type { BucketEncryption, DestinationBucket, PolicyDocument, Snapshot } from '../../model/snapshot.js';
import { need, type ResultBuilder, type ResultScope, type RulePath } from '../result.js';
import type { RuleResult } from '../types.js';

type Checked<T> = { ok: true; value: T } | { ok: false; result: RuleResult };

/**
 * The destination of a replication path when it was read and exists; otherwise the result to report:
 * NOT_APPLICABLE when it was not read or does not exist (replication_destination_reachable reports that),
 * UNKNOWN when its existence could not be read.
 */
export const liveDestination = (path: RulePath, results: ResultBuilder): Checked<DestinationBucket> => {
  const name = path.rule.destination.bucket;
  if (!path.destination)
    return { ok: false, result: results.notApplicable(`Destination ${name} was not read.`, path.scope) };
  const exists = need(path.destination.exists, `whether ${name} exists`, results, path.scope);
  if (!exists.ok) return exists;
  if (!exists.value)
    return {
      ok: false,
      result: results.notApplicable(
        `Destination ${name} does not exist (replication_destination_reachable reports it).`,
        path.scope,
      ),
    };
  return { ok: true, value: path.destination };
};

/** A bucket a "source or a destination" rule checks. */
export interface CheckedBucket {
  readonly kind: 'source' | 'destination';
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: Datum<string>;
  readonly encryption: Datum<BucketEncryption | null>;
  readonly policy: Datum<PolicyDocument | null>;
  /** Enabled replication rules writing to it (destinations only). */
  readonly ruleIds: readonly string[];
  readonly scope: ResultScope;
}

/**
 * The source bucket and every existing destination of its enabled replication rules (once each), plus the
 * results for destinations that cannot be checked (unreadable configuration, unread or missing bucket).
 */
export const bucketsToCheck = (
  snapshot: Snapshot,
  results: ResultBuilder,
): { buckets: CheckedBucket[]; skipped: RuleResult[] } => {
  const { source } = snapshot;
  const buckets: CheckedBucket[] = [
    { kind: 'source', ...source, region: known(source.region), ruleIds: [], scope: {} },
  ];
  const skipped: RuleResult[] = [];
  const replication = source.replication;
  if (!replication.known) {
    skipped.push(results.unknown(`the replication destinations of ${source.name}`, replication));
    return { buckets, skipped };
  }
  const byArn = new Map<string, string[]>();
  for (const rule of replication.value?.rules ?? []) {
    if (rule.status !== 'Enabled') continue;
    byArn.set(rule.destination.bucketArn, [...(byArn.get(rule.destination.bucketArn) ?? []), rule.id]);
  }
  for (const [arn, ruleIds] of byArn) {
    const destination = snapshot.destinations[arn];
    const name = destination?.name ?? arn.replace(/^arn:aws[a-z-]*:s3:::/, '');
    const scope: ResultScope = { destinationBucket: name };
    if (!destination) {
      skipped.push(results.notApplicable(`Destination ${name} was not read.`, scope));
      continue;
    }
    if (!destination.exists.known) {
      skipped.push(results.unknown(`whether ${name} exists`, destination.exists, scope));
      continue;
    }
    if (!destination.exists.value) {
      skipped.push(
        results.notApplicable(
          `Destination ${name} does not exist (replication_destination_reachable reports it).`,
          scope,
        ),
      );
      continue;
    }
    buckets.push({ kind: 'destination', ...destination, ruleIds, scope });
  }
  return { buckets, skipped };
};

/** "source bucket phi-prod" / "destination bucket phi-dr (account 222222222222)". */
export const describeBucket = (bucket: CheckedBucket): string =>
  bucket.kind === 'source'
    ? `source bucket ${bucket.name}`
    : `destination bucket ${bucket.name} (account ${bucket.accountId})`;
