/**
 * The canary's S3 I/O: the only place ReplGuard writes objects, and only under `replguard-canary/` (its role
 * allows nothing else). Reads go through the scan session like the collectors: buckets in other accounts
 * through the read-only role, every expected error turned into a datum.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { locateBucket, s3In } from '../collect/liveSnapshot.js';
import { readLifecycle, readObjectLock } from '../collect/readers/s3.js';
import { safeRead } from '../collect/safeRead.js';
import type { ScanSession } from '../collect/session.js';
import { CANARY_PREFIX } from '../model/canary.js';
import { type Datum, known, unknown } from '../model/datum.js';
import type { BucketRef, CanaryIo, ObjectHead } from './run.js';

const NO_OBJECT = { NotFound: null, NoSuchKey: null, NoSuchBucket: null } as const;

/** An S3 client for the bucket's account and Region (`null`: the bucket does not exist). */
const clientFor = async (session: ScanSession, target: BucketRef) => {
  const region = target.region
    ? known<string | null>(target.region)
    : await locateBucket(session, target.accountId, target.bucket);
  if (!region.known || region.value === null) return region as Datum<null>;
  return known(await s3In(session, target.accountId, region.value));
};

/** Refuses any key outside the canary prefix: a bug here must never write elsewhere. */
const guarded = (key: string): string => {
  if (!key.startsWith(CANARY_PREFIX) || key.includes('..'))
    throw new Error(`refusing to touch ${key}: the canary only reads and writes under ${CANARY_PREFIX}`);
  return key;
};

/** The canary I/O of one run, in the session's accounts. */
export const s3CanaryIo = (session: ScanSession): CanaryIo => ({
  objectLock: async (target) => {
    const s3 = await clientFor(session, target);
    if (!s3.known || s3.value === null) return s3.known ? known(null) : s3;
    return readObjectLock(s3.value, target.bucket);
  },
  lifecycle: async (target) => {
    const s3 = await clientFor(session, target);
    if (!s3.known || s3.value === null) return s3.known ? known(null) : s3;
    return readLifecycle(s3.value, target.bucket);
  },
  head: async (target, key) => {
    const s3 = await clientFor(session, target);
    if (!s3.known || s3.value === null) return s3.known ? known(null) : s3;
    const client = s3.value;
    return safeRead<ObjectHead | null>(
      async () => {
        const out = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: guarded(key) }));
        return {
          ...(out.ReplicationStatus ? { replicationStatus: out.ReplicationStatus } : {}),
          metadata: out.Metadata ?? {},
        };
      },
      { permission: 's3:GetObject', absentWhen: NO_OBJECT },
    );
  },
  put: async (target, key, object) => {
    const s3 = await clientFor(session, target);
    if (!s3.known) return s3;
    if (s3.value === null) return unknown(`bucket ${target.bucket} does not exist`);
    const client = s3.value;
    return safeRead<true>(
      async () => {
        await client.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: guarded(key),
            Body: object.body,
            ContentLength: Buffer.byteLength(object.body),
            ContentType: 'text/plain; charset=utf-8',
            Metadata: { ...object.metadata },
            // Never into a bucket of another account that took the name over.
            ExpectedBucketOwner: target.accountId,
          }),
        );
        return true;
      },
      { permission: 's3:PutObject' },
    );
  },
});
