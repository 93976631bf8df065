/**
 * Patch `replication`: GetBucketReplication returns every rule as it was put (moto 5.2.5 answers
 * `Filter {Prefix: ""}` and `DeleteMarkerReplication Disabled` for every rule and drops
 * SourceSelectionCriteria and ExistingObjectReplication).
 */
import {
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  GetBucketReplicationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type ReplicationConfiguration,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const account = testAccount('integration/emulator/replication');
const s3 = withAccount(new S3Client(emulatorClientConfig(inject('emulatorEndpoint'))), account);
const bucket = (name: string) => `${name}-${account}`;
const ROLE = `arn:aws:iam::${account}:role/replication`;

const createVersioned = async (name: string) => {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
};

const roundTrip = async (name: string, config: ReplicationConfiguration) => {
  await s3.send(new PutBucketReplicationCommand({ Bucket: name, ReplicationConfiguration: config }));
  return (await s3.send(new GetBucketReplicationCommand({ Bucket: name }))).ReplicationConfiguration;
};

describe('GetBucketReplication (emulator)', () => {
  beforeAll(async () => {
    for (const name of ['full', 'legacy', 'no-id', 'deleted']) await createVersioned(bucket(name));
  });

  it('returns every element of V2 rules as put: filters, delete markers, selection criteria, destination', async () => {
    const config: ReplicationConfiguration = {
      Role: ROLE,
      Rules: [
        {
          ID: 'phi-to-dr',
          Priority: 2,
          Status: 'Enabled',
          Filter: {
            And: {
              Prefix: 'phi/',
              Tags: [
                { Key: 'class', Value: 'phi' },
                { Key: 'keep', Value: 'yes' },
              ],
            },
          },
          DeleteMarkerReplication: { Status: 'Enabled' },
          SourceSelectionCriteria: {
            SseKmsEncryptedObjects: { Status: 'Enabled' },
            ReplicaModifications: { Status: 'Enabled' },
          },
          ExistingObjectReplication: { Status: 'Enabled' },
          Destination: {
            Bucket: 'arn:aws:s3:::phi-dr',
            Account: '210987654321',
            StorageClass: 'STANDARD_IA',
            AccessControlTranslation: { Owner: 'Destination' },
            EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:210987654321:key/replica' },
            ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
            Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
          },
        },
        {
          ID: 'tagged',
          Priority: 1,
          Status: 'Disabled',
          Filter: { Tag: { Key: 'replicate', Value: 'true' } },
          DeleteMarkerReplication: { Status: 'Disabled' },
          Destination: { Bucket: 'arn:aws:s3:::phi-archive' },
        },
        {
          ID: 'logs',
          Priority: 3,
          Status: 'Enabled',
          Filter: { Prefix: 'logs/' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          Destination: { Bucket: 'arn:aws:s3:::phi-logs' },
        },
      ],
    };
    expect(await roundTrip(bucket('full'), config)).toStrictEqual(config);
  });

  it('returns a legacy (V1) rule with its top-level Prefix and no Filter, Priority or DeleteMarkerReplication', async () => {
    const config: ReplicationConfiguration = {
      Role: ROLE,
      Rules: [
        { ID: 'legacy', Prefix: 'old/', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::phi-dr' } },
      ],
    };
    expect(await roundTrip(bucket('legacy'), config)).toStrictEqual(config);
  });

  it('generates an ID for a rule put without one and keeps the rest', async () => {
    const got = await roundTrip(bucket('no-id'), {
      Role: ROLE,
      Rules: [
        {
          Priority: 1,
          Status: 'Enabled',
          Filter: { Prefix: 'a/' },
          DeleteMarkerReplication: { Status: 'Enabled' },
          Destination: { Bucket: 'arn:aws:s3:::phi-dr' },
        },
      ],
    });
    expect(got?.Rules?.[0]?.ID).toMatch(/^\w+$/);
    expect(got?.Rules?.[0]).toMatchObject({
      Filter: { Prefix: 'a/' },
      DeleteMarkerReplication: { Status: 'Enabled' },
    });
  });

  it('still answers ReplicationConfigurationNotFoundError without a configuration, and after it is deleted', async () => {
    await expect(
      s3.send(new GetBucketReplicationCommand({ Bucket: bucket('deleted') })),
    ).rejects.toMatchObject({
      name: 'ReplicationConfigurationNotFoundError',
    });
    await roundTrip(bucket('deleted'), {
      Role: ROLE,
      Rules: [{ ID: 'r', Prefix: '', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::phi-dr' } }],
    });
    await s3.send(new DeleteBucketReplicationCommand({ Bucket: bucket('deleted') }));
    await expect(
      s3.send(new GetBucketReplicationCommand({ Bucket: bucket('deleted') })),
    ).rejects.toMatchObject({
      name: 'ReplicationConfigurationNotFoundError',
    });
  });
});
