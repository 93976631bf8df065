/**
 * Reads the facts a scope decision (shared/scope/verdict.ts) is made from, the same way for every caller:
 * the replication configuration and tags (from a Config item when it carries them, else live and memoised),
 * and the evidence that the bucket receives replicas: sources in the replication index that name it, else
 * a bucket policy letting a principal write replicas into it. Only what the decision needs is read: the
 * evidence is not looked for on an untagged, unnamed bucket.
 */
import { type Datum, known, unknown } from '../model/datum.js';
import type { SourceBucket } from '../model/snapshot.js';
import { replicationWritersOf } from '../scope/evidence.js';
import type { ReplicationIndex } from '../scope/replicationIndex.js';
import type { ScopeFacts } from '../scope/verdict.js';
import { isNotInItem } from './fromConfigItem.js';
import { readBucketPolicy, readScopeFacts } from './liveSnapshot.js';
import type { ScanSession } from './session.js';

export interface ScopeTarget {
  readonly bucket: string;
  readonly accountId: string;
  readonly region: string;
  /** Named by the operator (`replguard scan --bucket`). */
  readonly named?: boolean;
  /** The bucket as a Config item describes it, or its replication index entry (what they lack is read live). */
  readonly source?: Pick<SourceBucket, 'replication' | 'tags'> & Partial<Pick<SourceBucket, 'policy'>>;
}

/** The item's datum when it carries it, else the live read. */
const fromItemOr = async <T>(
  datum: Datum<T> | undefined,
  read: () => Promise<Datum<T>>,
): Promise<Datum<T>> => (datum && !isNotInItem(datum) ? datum : read());

/**
 * The scope facts of one bucket. `index` is asked only when the bucket has no replication configuration and
 * could be in scope (it may build the account's index: pass a memoised function).
 */
export const scopeFactsOf = async (
  session: ScanSession,
  target: ScopeTarget,
  index?: () => Promise<ReplicationIndex | undefined>,
): Promise<ScopeFacts> => {
  const { bucket, accountId, region } = target;
  const live = () => readScopeFacts(session, accountId, bucket, region);
  const [replication, tags] = await Promise.all([
    fromItemOr(target.source?.replication, async () => (await live()).replication),
    fromItemOr(target.source?.tags, async () => (await live()).tags),
  ]);
  const base = { bucket, replication, tags, ...(target.named ? { named: true } : {}) };
  const { key, value } = session.parameters.scopeTag;
  const mayBeInScope = target.named || !tags.known || tags.value[key] === value;
  if (!replication.known || replication.value !== null || !mayBeInScope)
    return { ...base, replicatedFrom: known([]) };
  return { ...base, replicatedFrom: await replicatedFrom(session, target, index) };
};

const replicatedFrom = async (
  session: ScanSession,
  target: ScopeTarget,
  index?: () => Promise<ReplicationIndex | undefined>,
): Promise<Datum<readonly string[]>> => {
  const sources = (await index?.())?.sourcesReplicatingTo(target.bucket) ?? [];
  if (sources.length > 0) return known(sources);
  const policy = await fromItemOr(target.source?.policy, () =>
    readBucketPolicy(session, target.accountId, target.bucket, target.region),
  );
  if (!policy.known)
    return unknown(
      `its bucket policy, which would name the replication roles writing into it: ${policy.reason}`,
      policy.permission ?? 's3:GetBucketPolicy',
    );
  return known(replicationWritersOf(policy.value));
};
