import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Datum } from '../../model/datum.js';
import type { LifecycleRuleInfo } from '../../model/lifecycle.js';
import type {
  BucketEncryption,
  BucketNotifications,
  ObjectLockInfo,
  PolicyDocument,
  ReplicationConfiguration,
  VersioningStatus,
} from '../../model/snapshot.js';
import {
  normaliseEncryption,
  normaliseNotifications,
  normaliseObjectLock,
  normaliseReplication,
  parsePolicy,
} from '../normalise/s3Api.js';
import { safeRead } from '../safeRead.js';

const NO_BUCKET = ['NoSuchBucket', 'NotFound'] as const;

/** Region of a bucket (`null` when it does not exist). */
export const readBucketRegion = (s3: S3Client, bucket: string): Promise<Datum<string | null>> =>
  safeRead(
    async () => {
      const out = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
      const loc = out.LocationConstraint as string | undefined;
      if (!loc) return 'us-east-1';
      return loc === 'EU' ? 'eu-west-1' : loc;
    },
    { permission: 's3:GetBucketLocation', absentWhen: Object.fromEntries(NO_BUCKET.map((c) => [c, null])) },
  );

export const readVersioning = (s3: S3Client, bucket: string): Promise<Datum<VersioningStatus>> =>
  safeRead(
    async () => {
      const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      return (out.Status as VersioningStatus | undefined) ?? 'Off';
    },
    { permission: 's3:GetBucketVersioning' },
  );

export const readEncryption = (s3: S3Client, bucket: string): Promise<Datum<BucketEncryption | null>> =>
  safeRead(
    async () =>
      normaliseEncryption(
        (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration,
      ),
    {
      permission: 's3:GetEncryptionConfiguration',
      absentWhen: { ServerSideEncryptionConfigurationNotFoundError: null },
    },
  );

export const readObjectLock = (s3: S3Client, bucket: string): Promise<Datum<ObjectLockInfo | null>> =>
  safeRead(
    async () =>
      normaliseObjectLock(
        (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration,
      ),
    {
      permission: 's3:GetBucketObjectLockConfiguration',
      absentWhen: { ObjectLockConfigurationNotFoundError: null },
    },
  );

export const readPolicy = (s3: S3Client, bucket: string): Promise<Datum<PolicyDocument | null>> =>
  safeRead(async () => parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy), {
    permission: 's3:GetBucketPolicy',
    absentWhen: { NoSuchBucketPolicy: null },
  });

export const readNotifications = (s3: S3Client, bucket: string): Promise<Datum<BucketNotifications>> =>
  safeRead(
    async () =>
      normaliseNotifications(
        await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket })),
      ),
    { permission: 's3:GetBucketNotification' },
  );

export const readTags = (s3: S3Client, bucket: string): Promise<Datum<Readonly<Record<string, string>>>> =>
  safeRead(
    async () => {
      const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
      return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    },
    { permission: 's3:GetBucketTagging', absentWhen: { NoSuchTagSet: {} } },
  );

export const readReplication = (
  s3: S3Client,
  bucket: string,
): Promise<Datum<ReplicationConfiguration | null>> =>
  safeRead(
    async () =>
      normaliseReplication(
        (await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }))).ReplicationConfiguration,
      ),
    {
      permission: 's3:GetReplicationConfiguration',
      absentWhen: { ReplicationConfigurationNotFoundError: null },
    },
  );

/** A lifecycle rule as the canary judges it: its filter (prefix, tags, sizes) and what it expires. */
const normaliseLifecycleRule = (rule: LifecycleRule): LifecycleRuleInfo => {
  const filter = rule.Filter;
  const and = filter?.And;
  const greater = filter?.ObjectSizeGreaterThan ?? and?.ObjectSizeGreaterThan;
  const less = filter?.ObjectSizeLessThan ?? and?.ObjectSizeLessThan;
  const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  return {
    ...(rule.ID ? { id: rule.ID } : {}),
    enabled: rule.Status === 'Enabled',
    // `Prefix` at the rule's top level is the legacy (V1) form of the filter.
    prefix: filter?.Prefix ?? and?.Prefix ?? rule.Prefix ?? '',
    tagFiltered: filter?.Tag !== undefined || (and?.Tags ?? []).length > 0,
    ...(greater !== undefined ? { objectSizeGreaterThan: Number(greater) } : {}),
    ...(less !== undefined ? { objectSizeLessThan: Number(less) } : {}),
    expiresCurrent: rule.Expiration?.Days !== undefined || rule.Expiration?.Date !== undefined,
    ...(noncurrent !== undefined ? { noncurrentDays: noncurrent } : {}),
  };
};

/** A bucket's lifecycle rules (`null` when it has no lifecycle configuration). */
export const readLifecycle = (
  s3: S3Client,
  bucket: string,
): Promise<Datum<readonly LifecycleRuleInfo[] | null>> =>
  safeRead(
    async () =>
      ((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? []).map(
        normaliseLifecycleRule,
      ),
    {
      permission: 's3:GetLifecycleConfiguration',
      absentWhen: { NoSuchLifecycleConfiguration: null },
    },
  );
