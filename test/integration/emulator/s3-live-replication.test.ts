/**
 * Patch `s3-replication`: live replication as S3 does it (moto 5.2.5 replicates nothing and never returns
 * `x-amz-replication-status`). A version written under an Enabled rule reads PENDING at once, then COMPLETED
 * with a REPLICA copy (same key, version ID, content, metadata, tags) in the destination, possibly in another
 * account; FAILED, with no replica, when the destination is missing or not versioned; versions written before
 * the rule, or outside it, have no status. Tests wait for the copies with `GET /replguard/replication/drain`.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type ReplicationRule,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { type Emulator, startEmulator } from '../../emulator/server.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/s3-live-replication');
const drAccount = testAccount('integration/emulator/s3-live-replication#dr');
const bucket = (name: string) => `${name}-${account}`;
const ROLE = `arn:aws:iam::${account}:role/replication`;

const clientsFor = (at: string) => ({
  s3: withAccount(new S3Client(emulatorClientConfig(at)), account),
  dr: withAccount(new S3Client(emulatorClientConfig(at)), drAccount),
  kms: withAccount(new KMSClient(emulatorClientConfig(at)), drAccount),
});
const { s3, dr, kms } = clientsFor(endpoint);

/** Waits until the emulator has run every queued replication copy. */
const drain = async (at = endpoint) => {
  const response = await fetch(`${at}/replguard/replication/drain?timeoutMs=20000`);
  expect(await response.json()).toStrictEqual({ Drained: true });
};

const createBucket = async (client: S3Client, name: string, versioned = true) => {
  await client.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned) {
    await client.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
};

const replicate = (client: S3Client, source: string, rules: ReplicationRule[]) =>
  client.send(
    new PutBucketReplicationCommand({
      Bucket: source,
      ReplicationConfiguration: { Role: ROLE, Rules: rules },
    }),
  );

const rule = (id: string, prefix: string, destination: string, extra: Partial<ReplicationRule> = {}) => ({
  ID: id,
  Priority: 1,
  Status: 'Enabled' as const,
  Filter: { Prefix: prefix },
  DeleteMarkerReplication: { Status: 'Disabled' as const },
  Destination: { Bucket: `arn:aws:s3:::${destination}` },
  ...extra,
});

const status = async (client: S3Client, name: string, key: string, versionId?: string) =>
  (await client.send(new HeadObjectCommand({ Bucket: name, Key: key, VersionId: versionId })))
    .ReplicationStatus;

const keysIn = async (client: S3Client, name: string) =>
  ((await client.send(new ListObjectVersionsCommand({ Bucket: name }))).Versions ?? []).map((v) => v.Key);

describe('S3 live replication (emulator)', () => {
  const source = bucket('live-src');
  const replicas = bucket('live-dr');
  const unversioned = bucket('live-unversioned');

  beforeAll(async () => {
    await createBucket(s3, source);
    await createBucket(dr, replicas);
    await createBucket(s3, unversioned, false);
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'phi/before-rule.txt', Body: 'old' }));
    await replicate(s3, source, [
      rule('to-dr', 'phi/', replicas, { Priority: 2 }),
      rule('to-unversioned', 'scratch/', unversioned),
      rule('to-nowhere', 'lost/', bucket('live-missing')),
    ]);
  });

  it('replicates a new version to another account: source COMPLETED, a REPLICA with the same version, content, metadata and tags', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: source,
        Key: 'phi/chart.json',
        Body: '{"mrn":"0001"}',
        ContentType: 'application/json',
        Metadata: { origin: 'ehr' },
        Tagging: 'classification=phi',
      }),
    );
    await drain();
    expect(await status(s3, source, 'phi/chart.json', put.VersionId)).toBe('COMPLETED');
    const replica = await dr.send(new GetObjectCommand({ Bucket: replicas, Key: 'phi/chart.json' }));
    expect(replica).toMatchObject({
      ReplicationStatus: 'REPLICA',
      VersionId: put.VersionId,
      ETag: put.ETag,
      ContentType: 'application/json',
      Metadata: { origin: 'ehr' },
    });
    expect(await replica.Body?.transformToString()).toBe('{"mrn":"0001"}');
    expect(
      (await dr.send(new GetObjectTaggingCommand({ Bucket: replicas, Key: 'phi/chart.json' }))).TagSet,
    ).toStrictEqual([{ Key: 'classification', Value: 'phi' }]);
  });

  it('marks a version FAILED, and leaves no replica, when the destination is not versioned or does not exist', async () => {
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'scratch/a.txt', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'lost/b.txt', Body: 'b' }));
    await drain();
    expect(await status(s3, source, 'scratch/a.txt')).toBe('FAILED');
    expect(await status(s3, source, 'lost/b.txt')).toBe('FAILED');
    expect(await keysIn(s3, unversioned)).toStrictEqual([]);
  });

  it('gives no status to versions written before the rule, nor to keys outside every rule, and does not copy them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'public/readme.txt', Body: 'hi' }));
    await drain();
    expect(await status(s3, source, 'phi/before-rule.txt')).toBeUndefined();
    expect(await status(s3, source, 'public/readme.txt')).toBeUndefined();
    expect(await keysIn(dr, replicas)).not.toContain('phi/before-rule.txt');
    expect(await keysIn(dr, replicas)).not.toContain('public/readme.txt');
  });

  it('replicates by tag filter, and never replicates a replica again', async () => {
    const tagged = bucket('live-tagged');
    const chained = bucket('live-chained');
    await createBucket(s3, tagged);
    await createBucket(s3, chained);
    await replicate(s3, tagged, [
      rule('phi-tag', '', replicas, { Filter: { Tag: { Key: 'classification', Value: 'phi' } } }),
    ]);
    // The replica bucket itself replicates onwards: replicas written into it must stay where they are.
    await replicate(dr, replicas, [rule('onwards', '', chained)]);
    await s3.send(
      new PutObjectCommand({ Bucket: tagged, Key: 'scan.dcm', Body: 'x', Tagging: 'classification=phi' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: tagged, Key: 'menu.txt', Body: 'y' }));
    await drain();
    expect(await status(s3, tagged, 'scan.dcm')).toBe('COMPLETED');
    expect(await status(s3, tagged, 'menu.txt')).toBeUndefined();
    expect(await status(dr, replicas, 'scan.dcm')).toBe('REPLICA');
    expect(await keysIn(s3, chained)).toStrictEqual([]);
  });

  it('replicates SSE-KMS objects only when the rule selects them, encrypted with the ReplicaKmsKeyID', async () => {
    const encrypted = bucket('live-kms');
    await createBucket(s3, encrypted);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'replica key' }));
    const replicaKey = KeyMetadata?.Arn ?? '';
    await replicate(s3, encrypted, [
      rule('kms', 'kms/', replicas, {
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        Destination: {
          Bucket: `arn:aws:s3:::${replicas}`,
          EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey },
        },
      }),
      rule('no-kms', 'plain/', replicas),
    ]);
    for (const key of ['kms/lab.pdf', 'plain/lab.pdf']) {
      await s3.send(
        new PutObjectCommand({
          Bucket: encrypted,
          Key: key,
          Body: 'lab',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: `arn:aws:kms:us-east-1:${account}:key/source-key`,
        }),
      );
    }
    await drain();
    expect(await status(s3, encrypted, 'kms/lab.pdf')).toBe('COMPLETED');
    expect(await status(s3, encrypted, 'plain/lab.pdf')).toBeUndefined();
    expect(await dr.send(new HeadObjectCommand({ Bucket: replicas, Key: 'kms/lab.pdf' }))).toMatchObject({
      ReplicationStatus: 'REPLICA',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: replicaKey,
    });
  });
});

describe('S3 live replication timing (emulator with a 3 s replication delay)', () => {
  let slow: Emulator;
  beforeAll(async () => {
    slow = await startEmulator({ env: { ...process.env, REPLGUARD_MOTO_REPLICATION_DELAY_MS: '3000' } });
  });
  afterAll(() => slow?.stop());

  it('reads PENDING right after the write (also by VersionId), COMPLETED once the copy ran', async () => {
    const { s3: slowS3 } = clientsFor(slow.endpoint);
    await createBucket(slowS3, 'slow-src');
    await createBucket(slowS3, 'slow-dr');
    await replicate(slowS3, 'slow-src', [rule('all', '', 'slow-dr')]);
    const put = await slowS3.send(new PutObjectCommand({ Bucket: 'slow-src', Key: 'k', Body: 'v' }));
    expect(await status(slowS3, 'slow-src', 'k')).toBe('PENDING');
    expect(await status(slowS3, 'slow-src', 'k', put.VersionId)).toBe('PENDING');
    expect(await keysIn(slowS3, 'slow-dr')).toStrictEqual([]);
    await drain(slow.endpoint);
    expect(await status(slowS3, 'slow-src', 'k', put.VersionId)).toBe('COMPLETED');
    expect(await status(slowS3, 'slow-dr', 'k')).toBe('REPLICA');
  });
});

describe('S3 live replication without its patch (REPLGUARD_MOTO_UNPATCHED=s3-replication)', () => {
  let unpatched: Emulator;
  beforeAll(async () => {
    unpatched = await startEmulator({ env: { ...process.env, REPLGUARD_MOTO_UNPATCHED: 's3-replication' } });
  });
  afterAll(() => unpatched?.stop());

  it('moto replicates nothing and returns no replication status', async () => {
    const { s3: plain } = clientsFor(unpatched.endpoint);
    await createBucket(plain, 'plain-src');
    await createBucket(plain, 'plain-dr');
    await replicate(plain, 'plain-src', [rule('all', '', 'plain-dr')]);
    await plain.send(new PutObjectCommand({ Bucket: 'plain-src', Key: 'k', Body: 'v' }));
    await drain(unpatched.endpoint);
    expect(await status(plain, 'plain-src', 'k')).toBeUndefined();
    expect(await keysIn(plain, 'plain-dr')).toStrictEqual([]);
  });
});
