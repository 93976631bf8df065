import { describe, expect, it } from 'vitest';
import { type BucketEntry, ReplicationIndex } from '../../../shared/scope/replicationIndex.js';
import type { ReplicationConfiguration } from '../../../shared/model/snapshot.js';

const ACCOUNT = '111111111111';
const KEY = 'aaaa1111-0000-4000-8000-000000000001';
const REPLICA_KEY = 'bbbb2222-0000-4000-8000-000000000002';

const replication = (
  role: string,
  destinations: { bucket: string; replicaKmsKeyId?: string }[],
): ReplicationConfiguration => ({
  role,
  rules: destinations.map((d, i) => ({
    id: `r${i}`,
    status: 'Enabled',
    filter: {},
    destination: {
      bucketArn: `arn:aws:s3:::${d.bucket}`,
      bucket: d.bucket,
      ...(d.replicaKmsKeyId ? { replicaKmsKeyId: d.replicaKmsKeyId } : {}),
    },
  })),
});

const entries: BucketEntry[] = [
  {
    bucket: 'phi-a',
    region: 'us-east-1',
    tagged: true,
    replication: replication(`arn:aws:iam::${ACCOUNT}:role/service-role/replicator`, [
      { bucket: 'phi-a-dr', replicaKmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/phi-replica` },
    ]),
    defaultKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}`,
  },
  {
    bucket: 'phi-b',
    region: 'eu-west-1',
    tagged: false,
    replication: replication(`arn:aws:iam::${ACCOUNT}:role/other`, [{ bucket: 'phi-a-dr' }]),
  },
  {
    bucket: 'phi-a-dr',
    region: 'us-west-2',
    tagged: true,
    replication: null,
    defaultKey: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${REPLICA_KEY}`,
  },
  { bucket: 'logs', region: 'us-east-1', tagged: false, replication: null },
  { bucket: 'locked-down', region: 'us-east-1', tagged: false, replication: undefined },
];

const index = () => new ReplicationIndex(ACCOUNT, entries, 0);
const aliases: Record<string, string> = {
  [`arn:aws:kms:us-west-2:${ACCOUNT}:alias/phi-replica`]: REPLICA_KEY,
};
const resolve = async ({ ref }: { ref: string }) => aliases[ref];

describe('ReplicationIndex', () => {
  it('lists buckets sorted by name', () => {
    expect(
      index()
        .entries()
        .map((e) => e.bucket),
    ).toEqual(['locked-down', 'logs', 'phi-a', 'phi-a-dr', 'phi-b']);
  });

  it.each([
    ['the role ARN', `arn:aws:iam::${ACCOUNT}:role/service-role/replicator`, ['phi-a']],
    ['the role name (IAM events name roles)', 'replicator', ['phi-a']],
    ['another role', 'other', ['phi-b']],
    ['an unused role', 'nobody', []],
  ])('finds the sources using a role by %s', (_what, role, sources) => {
    expect(index().sourcesUsingRole(role)).toEqual(sources);
  });

  it('finds the sources replicating into a destination', () => {
    expect(index().sourcesReplicatingTo('phi-a-dr')).toEqual(['phi-a', 'phi-b']);
    expect(index().sourcesReplicatingTo('logs')).toEqual([]);
  });

  it.each([
    ['a source default key', KEY, ['phi-a']],
    [
      'a replica key configured as an alias, and the destination default key it also is',
      REPLICA_KEY,
      ['phi-a', 'phi-a-dr', 'phi-b'],
    ],
    ['an unused key', 'cccc3333-0000-4000-8000-000000000003', []],
  ])('finds the buckets using %s', async (_what, keyId, buckets) => {
    expect((await index().bucketsUsingKey(keyId, resolve)).sort()).toEqual(buckets);
  });

  it('names the buckets whose replication configuration could not be read', () => {
    expect(index().unreadable()).toEqual(['locked-down']);
  });

  it('updates and removes entries', () => {
    const i = index();
    i.upsert({
      bucket: 'logs',
      region: 'us-east-1',
      tagged: false,
      replication: replication('arn:aws:iam::1:role/x', [{ bucket: 'logs-dr' }]),
    });
    expect(i.sourcesReplicatingTo('logs-dr')).toEqual(['logs']);
    i.remove('phi-b');
    expect(i.sourcesReplicatingTo('phi-a-dr')).toEqual(['phi-a']);
    expect(i.size).toBe(4);
  });
});
