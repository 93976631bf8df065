import { S3Client } from '@aws-sdk/client-s3';
import { ServiceId } from '../aws/endpoint.js';
import { type Datum, known, unknown } from '../model/datum.js';
import { ScopeKind, type ScopeVerdict } from '../model/scope.js';
import {
  DEFAULT_OBJECT_SAMPLE,
  type DestinationBucket,
  type Snapshot,
  type SourceBucket,
} from '../model/snapshot.js';
import { CollectError } from './errors.js';
import { accountOfArn } from './normalise/arn.js';
import { bucketArn } from './normalise/s3Api.js';
import {
  readBucketRegion,
  readEncryption,
  readNotifications,
  readObjectLock,
  readPolicy,
  readReplication,
  readTags,
  readVersioning,
} from './readers/s3.js';
import { readObjectStats } from './readers/objects.js';
import { readOrganizationPolicies } from './readers/organizationPolicies.js';
import { collectRelated } from './related.js';
import type { ScanSession } from './session.js';

/** An S3 client acting in `accountId` (through the cross-account role when it is not ours). */
export const s3In = (session: ScanSession, accountId: string, region: string): Promise<S3Client> =>
  session.factory.clientIn(S3Client, ServiceId.S3, accountId, region);

const regionKey = (accountId: string, bucket: string) => `region|${accountId}|${bucket}`;

/** Region of a bucket as seen from `accountId` (memoised for the scan); `null` when it does not exist. */
export const locateBucket = (
  session: ScanSession,
  accountId: string,
  bucket: string,
): Promise<Datum<string | null>> =>
  session.once(regionKey(accountId, bucket), async () => {
    try {
      return await readBucketRegion(await s3In(session, accountId, session.factory.region), bucket);
    } catch (error) {
      return unknown(`could not reach account ${accountId}: ${(error as Error).message}`, 'sts:AssumeRole');
    }
  });

/** A bucket's Region as ListBuckets gave it (`BucketRegion`), so locating the bucket makes no call. */
export const rememberBucketRegion = (
  session: ScanSession,
  accountId: string,
  bucket: string,
  region: string,
) => void session.once(regionKey(accountId, bucket), () => Promise.resolve(known<string | null>(region)));

/** Replication configuration and tags decide scope, so they are memoised for `--all` scans. */
export const readScopeFacts = (session: ScanSession, accountId: string, bucket: string, region: string) =>
  session.once(`scope|${accountId}|${bucket}`, async () => {
    const s3 = await s3In(session, accountId, region);
    const [replication, tags] = await Promise.all([readReplication(s3, bucket), readTags(s3, bucket)]);
    return { replication, tags };
  });

/** A bucket's default encryption, memoised (the replication index and the snapshot both need it). */
export const readSourceEncryption = (
  session: ScanSession,
  accountId: string,
  bucket: string,
  region: string,
) =>
  session.once(`encryption|${accountId}|${bucket}`, async () =>
    readEncryption(await s3In(session, accountId, region), bucket),
  );

/** A bucket's policy, memoised (scope evidence and the snapshot both need it). */
export const readBucketPolicy = (session: ScanSession, accountId: string, bucket: string, region: string) =>
  session.once(`policy|${accountId}|${bucket}`, async () =>
    readPolicy(await s3In(session, accountId, region), bucket),
  );

const collectSource = async (
  session: ScanSession,
  accountId: string,
  bucket: string,
): Promise<SourceBucket> => {
  const located = await locateBucket(session, accountId, bucket);
  if (!located.known) {
    throw new CollectError(`Cannot locate bucket ${bucket}: ${located.reason}`, 'BUCKET_UNREADABLE');
  }
  const region = located.value;
  if (region === null) {
    throw new CollectError(`Bucket ${bucket} does not exist in account ${accountId}`, 'BUCKET_NOT_FOUND');
  }
  const s3 = await s3In(session, accountId, region);
  const [scope, versioning, encryption, objectLock, policy, notifications] = await Promise.all([
    readScopeFacts(session, accountId, bucket, region),
    readVersioning(s3, bucket),
    readSourceEncryption(session, accountId, bucket, region),
    readObjectLock(s3, bucket),
    readBucketPolicy(session, accountId, bucket, region),
    readNotifications(s3, bucket),
  ]);
  return {
    name: bucket,
    arn: bucketArn(bucket, region),
    accountId,
    region,
    versioning,
    encryption,
    objectLock,
    policy,
    notifications,
    tags: scope.tags,
    replication: scope.replication,
  };
};

const unreadable = (
  name: string,
  accountId: string,
  why: Datum<never>,
  region?: string,
): DestinationBucket => ({
  name,
  arn: bucketArn(name, region),
  accountId,
  exists: why,
  region: why,
  versioning: why,
  encryption: why,
  objectLock: why,
  policy: why,
});

/** A destination bucket, read in its owner account (through the cross-account role when it is not ours). */
export const collectDestination = (
  session: ScanSession,
  accountId: string,
  name: string,
): Promise<DestinationBucket> =>
  session.once(`destination|${accountId}|${name}`, async () => {
    const region = await locateBucket(session, accountId, name);
    if (!region.known) return unreadable(name, accountId, region as Datum<never>, session.factory.region);
    if (region.value === null) {
      const missing = known(false);
      const none = unknown(`destination bucket ${name} does not exist`);
      return {
        ...unreadable(name, accountId, none as Datum<never>, session.factory.region),
        exists: missing,
      };
    }
    const s3 = await s3In(session, accountId, region.value);
    const [versioning, encryption, objectLock, policy] = await Promise.all([
      readVersioning(s3, name),
      readEncryption(s3, name),
      readObjectLock(s3, name),
      readPolicy(s3, name),
    ]);
    return {
      name,
      arn: bucketArn(name, region.value),
      accountId,
      exists: known(true),
      region: known(region.value),
      versioning,
      encryption,
      objectLock,
      policy,
    };
  });

export interface CollectOptions {
  /** Account that owns the bucket (default: the caller's). */
  readonly accountId?: string;
  /** Why the bucket is evaluated (default: a replication source). */
  readonly scope?: ScopeVerdict;
}

/** The scope of a bucket evaluated without a scope decision (a diagnosis of a source S3 reports on). */
export const SOURCE_SCOPE: ScopeVerdict = { kind: ScopeKind.Source, reason: 'replication source' };

/**
 * Completes a snapshot around a source bucket (read live or from a Config item): its destinations, each in
 * its owner account, and the role, keys, alarms and trails of the path.
 */
export const completeSnapshot = async (
  session: ScanSession,
  source: SourceBucket,
  options: Pick<CollectOptions, 'scope'> = {},
): Promise<Snapshot> => {
  const rules = source.replication.known ? (source.replication.value?.rules ?? []) : [];
  const destinationList = await Promise.all(
    [...new Map(rules.map((r) => [r.destination.bucketArn, r.destination])).values()].map((d) =>
      collectDestination(session, d.account ?? source.accountId, d.bucket),
    ),
  );
  const destinations = Object.fromEntries(destinationList.map((d) => [d.arn, d]));
  // the Organization's policies need only the path's accounts: read beside the object sample, not after it
  const pathAndPolicies = collectRelated(session, source, destinations).then(async (related) => ({
    related,
    organization: await readOrganizationPolicies(session, pathAccounts(source, destinations, related)),
  }));
  const [{ related, organization }, objects] = await Promise.all([
    pathAndPolicies,
    collectObjects(session, source),
  ]);
  return {
    source,
    destinations,
    ...related,
    objects,
    organization,
    scope: options.scope ?? SOURCE_SCOPE,
    parameters: session.parameters,
  };
};

/** The accounts whose SCPs or RCPs apply to the path: the role's, the source's, the destinations' and the keys'. */
const pathAccounts = (
  source: SourceBucket,
  destinations: Readonly<Record<string, DestinationBucket>>,
  related: Pick<Snapshot, 'roles' | 'keys'>,
): string[] => [
  source.accountId,
  ...Object.keys(related.roles).flatMap((arn) => accountOfArn(arn) ?? []),
  ...Object.values(destinations).map((d) => d.accountId),
  ...Object.values(related.keys).flatMap((k) => (k.known && k.value ? [k.value.accountId] : [])),
];

/** The replication status of the source's objects (the inventory report may live in another account). */
const collectObjects = async (session: ScanSession, source: SourceBucket) => {
  const rules = source.replication.known ? (source.replication.value?.rules ?? []) : [];
  return readObjectStats({
    s3: await s3In(session, source.accountId, source.region),
    bucket: source.name,
    rules,
    sampleSize: session.parameters.objectSampleSize ?? DEFAULT_OBJECT_SAMPLE,
    now: Date.now(),
    inventoryClient: async (bucket, accountId) => {
      const owner = accountId ?? source.accountId;
      const region = await locateBucket(session, owner, bucket);
      return s3In(session, owner, region.known && region.value ? region.value : source.region);
    },
  });
};

/** Builds the snapshot of one source bucket from live API reads. */
export const collectSnapshot = async (
  session: ScanSession,
  bucket: string,
  options: CollectOptions = {},
): Promise<Snapshot> => {
  const accountId = options.accountId ?? (await session.factory.homeAccountId());
  const source = await collectSource(session, accountId, bucket);
  return completeSnapshot(session, source, options);
};
