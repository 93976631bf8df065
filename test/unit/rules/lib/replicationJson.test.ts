import { describe, expect, it } from 'vitest';
import type { ReplicationConfiguration, ReplicationRule } from '../../../../shared/model/snapshot.js';
import { apiConfiguration, apiRule } from '../../../../shared/rules/lib/replicationJson.js';

const rule = (change: Partial<ReplicationRule> = {}): ReplicationRule => ({
  id: 'r1',
  status: 'Enabled',
  filter: {},
  destination: { bucket: 'dst', bucketArn: 'arn:aws:s3:::dst' },
  ...change,
});

describe('apiRule', () => {
  it.each<[string, ReplicationRule['filter'], unknown]>([
    ['no filter', {}, { Prefix: '' }],
    ['a prefix', { prefix: 'scans/' }, { Prefix: 'scans/' }],
    ['one tag', { tags: [{ key: 'a', value: 'b' }] }, { Tag: { Key: 'a', Value: 'b' } }],
    [
      'a prefix and a tag',
      { prefix: 'p/', tags: [{ key: 'a', value: 'b' }] },
      { And: { Prefix: 'p/', Tags: [{ Key: 'a', Value: 'b' }] } },
    ],
  ])('writes %s as an S3 Filter', (_what, filter, expected) => {
    expect(apiRule(rule({ filter }), 1).Filter).toEqual(expected);
  });

  it('writes every destination setting S3 accepts', () => {
    const api = apiRule(
      rule({
        sseKmsEncryptedObjects: 'Enabled',
        replicaModifications: 'Enabled',
        existingObjectReplication: 'Enabled',
        destination: {
          bucket: 'dst',
          bucketArn: 'arn:aws:s3:::dst',
          account: '222222222222',
          storageClass: 'GLACIER_IR',
          accessControlTranslationOwner: 'Destination',
          replicaKmsKeyId: 'arn:aws:kms:us-west-2:222222222222:key/k',
          metrics: { status: 'Enabled', eventThresholdMinutes: 15 },
          replicationTime: { status: 'Enabled', minutes: 15 },
        },
      }),
      3,
    );
    expect(api).toEqual({
      ID: 'r1',
      Priority: 3,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: {
        SseKmsEncryptedObjects: { Status: 'Enabled' },
        ReplicaModifications: { Status: 'Enabled' },
      },
      ExistingObjectReplication: { Status: 'Enabled' },
      Destination: {
        Bucket: 'arn:aws:s3:::dst',
        Account: '222222222222',
        StorageClass: 'GLACIER_IR',
        AccessControlTranslation: { Owner: 'Destination' },
        EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:222222222222:key/k' },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      },
    });
  });
});

describe('apiConfiguration', () => {
  it('gives rules without a priority unused ones', () => {
    const config: ReplicationConfiguration = {
      role: 'arn:aws:iam::111111111111:role/r',
      rules: [rule({ id: 'a' }), rule({ id: 'b', priority: 1 }), rule({ id: 'c' })],
    };
    const rules = apiConfiguration(config).Rules as { ID: string; Priority: number }[];
    expect(rules.map((r) => [r.ID, r.Priority])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 3],
    ]);
  });
});
