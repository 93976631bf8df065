/**
 * Everything the evaluation path reads, behind one interface: where a bucket is, the facts its scope is
 * decided from, its snapshot (live, or from a Config item), and the account's replication index. The live
 * implementation reads AWS through the scan session; tests give the engine a collector over fixtures.
 */
import type { Datum } from '../model/datum.js';
import type { ScopeVerdict } from '../model/scope.js';
import type { Snapshot, SourceBucket } from '../model/snapshot.js';
import type { ReplicationIndex } from '../scope/replicationIndex.js';
import type { ScopeFacts } from '../scope/verdict.js';
import { fillFromLive } from './configItemSnapshot.js';
import { collectSnapshot, completeSnapshot, locateBucket } from './liveSnapshot.js';
import { type IndexScope, ReplicationIndexCache } from './replicationIndex.js';
import { scopeFactsOf, type ScopeTarget } from './scopeFacts.js';
import type { ScanSession } from './session.js';

/** A bucket to snapshot: read live, or completed from the `source` a Config item gave. */
export interface SnapshotTarget {
  readonly bucket: string;
  readonly accountId: string;
  readonly source?: SourceBucket;
}

export interface Collector {
  /** The Region of `bucket` in `accountId`: `null` when it does not exist, unknown when it cannot be read. */
  locate(session: ScanSession, accountId: string, bucket: string): Promise<Datum<string | null>>;
  scopeFacts(
    session: ScanSession,
    target: ScopeTarget,
    index?: () => Promise<ReplicationIndex | undefined>,
  ): Promise<ScopeFacts>;
  /** Throws CollectError (BUCKET_NOT_FOUND, BUCKET_UNREADABLE) when the source cannot be read at all. */
  snapshot(session: ScanSession, target: SnapshotTarget, scope: ScopeVerdict): Promise<Snapshot>;
  /** The replication index of `accountId`, or of its buckets in `scope.region` (cached for a few minutes). */
  index(session: ScanSession, accountId: string, now: number, scope?: IndexScope): Promise<ReplicationIndex>;
  /** Re-reads one bucket's index entry after its replication configuration changed. */
  refreshIndex(session: ScanSession, index: ReplicationIndex, bucket: string): Promise<void>;
}

export interface LiveCollectorOptions {
  /** Lifetime of a cached replication index (default 5 minutes). */
  readonly indexTtlMs?: number;
  /** Index each bucket's default KMS key too (what KMS key changes are looked up by). Default true. */
  readonly indexKeys?: boolean;
}

/** The collector that reads AWS (one index cache per collector: one per warm function). */
export const liveCollector = (options: LiveCollectorOptions = {}): Collector => {
  const indexes = new ReplicationIndexCache(options.indexTtlMs, { keys: options.indexKeys ?? true });
  return {
    locate: locateBucket,
    scopeFacts: scopeFactsOf,
    snapshot: async (session, target, scope) =>
      target.source
        ? completeSnapshot(session, await fillFromLive(session, target.source), { scope })
        : collectSnapshot(session, target.bucket, { accountId: target.accountId, scope }),
    index: (session, accountId, now, scope) => indexes.get(session, accountId, now, scope),
    refreshIndex: (session, index, bucket) => indexes.refresh(session, index, bucket),
  };
};
