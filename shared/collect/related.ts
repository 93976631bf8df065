import type { DestinationBucket, Snapshot, SourceBucket } from '../model/snapshot.js';
import type { ScanSession } from './session.js';

/**
 * The resources a replication path depends on beyond the buckets: the replication role, the KMS keys,
 * the replication alarms and the trails. Shared across buckets through the session memo.
 */
export const collectRelated = async (
  _session: ScanSession,
  _source: SourceBucket,
  _destinations: Readonly<Record<string, DestinationBucket>>,
): Promise<Pick<Snapshot, 'roles' | 'keys' | 'alarms' | 'trails'>> => ({
  roles: {},
  keys: {},
  alarms: { known: false, reason: 'alarms are not collected yet', source: 'derived' },
  trails: {},
});
