import type { Datum, UnknownDatum } from '../model/datum.js';
import type { ScopeVerdict } from '../model/scope.js';
import {
  DEFAULT_PARAMETERS,
  type ScanParameters,
  type Snapshot,
  type SourceBucket,
} from '../model/snapshot.js';
import { bucketArn } from './normalise/s3Api.js';

/**
 * The snapshot of a source bucket that could not be read at all (its Region could not be located): every
 * setting unknown for the same reason, so every rule reports UNKNOWN naming the missing permission instead
 * of the bucket being dropped. `read` keeps what was read (the scope facts of an undecided bucket).
 */
export const unreadableSnapshot = (
  where: { readonly bucket: string; readonly accountId: string; readonly region: string },
  why: UnknownDatum,
  scope: ScopeVerdict,
  parameters: ScanParameters = DEFAULT_PARAMETERS,
  read: Partial<Pick<SourceBucket, 'replication' | 'tags'>> = {},
): Snapshot => {
  const missing = why as Datum<never>;
  return {
    source: {
      name: where.bucket,
      arn: bucketArn(where.bucket, where.region),
      accountId: where.accountId,
      region: where.region,
      versioning: missing,
      encryption: missing,
      objectLock: missing,
      policy: missing,
      notifications: missing,
      tags: read.tags ?? missing,
      replication: read.replication ?? missing,
    },
    destinations: {},
    roles: {},
    keys: {},
    alarms: missing,
    trails: {},
    scope,
    parameters,
  };
};
