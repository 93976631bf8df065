/**
 * Patches `object-lock` (DefaultRetention has Days or Years, as put; moto adds the other as 0) and
 * `notifications` (EventBridgeConfiguration is returned; moto drops it), `s3-bucket-region` (ListBuckets names each
 * bucket's Region), plus S3 reads that moto already
 * answers faithfully and ReplGuard relies on.
 */
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type NotificationConfiguration,
  PutBucketEncryptionCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/s3');
const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);
const bucket = (name: string) => `${name}-${account}`;

describe('S3 bucket configuration reads (emulator)', () => {
  beforeAll(async () => {
    for (const name of ['lock-years', 'lock-days']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket(name), ObjectLockEnabledForBucket: true }));
    }
    for (const name of ['events', 'eventbridge-only', 'encrypted']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket(name) }));
    }
  });

  it('returns Object Lock DefaultRetention with only the Years or only the Days that were put', async () => {
    const put = async (
      name: string,
      retention: { Mode: 'COMPLIANCE' | 'GOVERNANCE'; Days?: number; Years?: number },
    ) => {
      await s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: bucket(name),
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: retention } },
        }),
      );
      return (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket(name) })))
        .ObjectLockConfiguration;
    };
    expect(await put('lock-years', { Mode: 'COMPLIANCE', Years: 7 })).toStrictEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } },
    });
    expect(await put('lock-days', { Mode: 'GOVERNANCE', Days: 30 })).toStrictEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
  });

  it('returns replication event notifications with filters, and EventBridgeConfiguration when enabled', async () => {
    const config: NotificationConfiguration = {
      TopicConfigurations: [
        {
          Id: 'replication-failures',
          TopicArn: `arn:aws:sns:us-east-1:${account}:replication-failures`,
          Events: ['s3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'phi/' },
                { Name: 'suffix', Value: '.pdf' },
              ],
            },
          },
        },
      ],
      QueueConfigurations: [
        {
          Id: 'all-replication',
          QueueArn: `arn:aws:sqs:us-east-1:${account}:q`,
          Events: ['s3:Replication:*'],
        },
      ],
      EventBridgeConfiguration: {},
    };
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket('events'),
        NotificationConfiguration: config,
        SkipDestinationValidation: true,
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket('events') }));
    expect(got).toMatchObject(config);

    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket('eventbridge-only'),
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    const only = await s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: bucket('eventbridge-only') }),
    );
    expect(only.EventBridgeConfiguration).toStrictEqual({});
  });

  it('already answers faithfully: SSE-KMS with BucketKeyEnabled, LocationConstraint and BucketRegion', async () => {
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket('encrypted'),
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/phi' },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket('encrypted') }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]).toStrictEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/phi' },
      BucketKeyEnabled: true,
    });

    const west = withAccount(new S3Client(emulatorClientConfig(endpoint, 'eu-west-1')), account);
    await west.send(
      new CreateBucketCommand({
        Bucket: bucket('dr'),
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: bucket('dr') }))).LocationConstraint).toBe(
      'eu-west-1',
    );
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: bucket('encrypted') }))).LocationConstraint,
    ).toBe(undefined);
    expect((await s3.send(new HeadBucketCommand({ Bucket: bucket('dr') }))).BucketRegion).toBe('eu-west-1');
  });

  it('lists each bucket with its Region (patch s3-bucket-region), as AWS has since 2024', async () => {
    const west = withAccount(new S3Client(emulatorClientConfig(endpoint, 'eu-west-1')), account);
    await west.send(
      new CreateBucketCommand({
        Bucket: bucket('listed-west'),
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const listed = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    const regionOf = (name: string) => listed.find((b) => b.Name === bucket(name))?.BucketRegion;
    expect(regionOf('listed-west')).toBe('eu-west-1');
    expect(regionOf('lock-years')).toBe('us-east-1');
    const westOnly = await s3.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    expect(westOnly.Buckets?.map((b) => b.Name)).toContain(bucket('listed-west'));
    expect(westOnly.Buckets?.map((b) => b.Name)).not.toContain(bucket('lock-years'));
  });
});
