import type { S3Client } from '@aws-sdk/client-s3';
import type { Datum } from '../model/datum.js';
import type { ScopeVerdict } from '../model/scope.js';
import type { Snapshot, SourceBucket } from '../model/snapshot.js';
import { isNotInItem, normaliseConfigItem } from './fromConfigItem.js';
import { completeSnapshot, s3In } from './liveSnapshot.js';
import {
  readEncryption,
  readNotifications,
  readObjectLock,
  readPolicy,
  readReplication,
  readTags,
  readVersioning,
} from './readers/s3.js';
import type { ScanSession } from './session.js';

type Fillable = Exclude<keyof SourceBucket, 'name' | 'arn' | 'accountId' | 'region'>;

/** The live reader for each source setting a configuration item may lack. */
const LIVE: { readonly [K in Fillable]: (s3: S3Client, bucket: string) => Promise<SourceBucket[K]> } = {
  versioning: readVersioning,
  encryption: readEncryption,
  objectLock: readObjectLock,
  policy: readPolicy,
  notifications: readNotifications,
  tags: readTags,
  replication: readReplication,
};

/** Replaces every datum the item did not carry with a live read of the bucket (in its account and Region). */
export const fillFromLive = async (session: ScanSession, source: SourceBucket): Promise<SourceBucket> => {
  const missing = (Object.keys(LIVE) as Fillable[]).filter((k) => isNotInItem(source[k] as Datum<unknown>));
  if (missing.length === 0) return source;
  const s3 = await s3In(session, source.accountId, source.region);
  const filled = await Promise.all(missing.map(async (k) => [k, await LIVE[k](s3, source.name)] as const));
  return { ...source, ...Object.fromEntries(filled) };
};

/**
 * The snapshot of the bucket an AWS Config item describes: the source from the item (settings it lacks read
 * live), destinations, role, keys, alarms and trails read live as usual. `null` when the item records a
 * deleted bucket (nothing to evaluate). Throws `CollectError` `INVALID_CONFIG_ITEM` for a malformed item.
 */
export const collectSnapshotFromConfigItem = async (
  session: ScanSession,
  item: unknown,
  options: { readonly scope?: ScopeVerdict } = {},
): Promise<Snapshot | null> => {
  const normalised = normaliseConfigItem(item);
  if (normalised.deleted) return null;
  const source = await fillFromLive(session, normalised.source);
  return completeSnapshot(session, source, options);
};
