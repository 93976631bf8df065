/**
 * The replication index of one Region (a sweep shard's): only that Region's buckets are read, so an account swept in
 * several Regions is not read once per Region; the account's own index still holds every bucket.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildReplicationIndex } from '../../../shared/collect/replicationIndex.js';
import { testAccount } from '../../emulator/accounts.js';
import { type BucketHandle, type Scenario, scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

describe('the replication index of one Region', () => {
  let env: Scenario;
  let east: BucketHandle[];
  let west: BucketHandle;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/replicationIndex') });
    east = await Promise.all(['index-east-a', 'index-east-b'].map((name) => env.bucket({ name })));
    west = await env.bucket({ name: 'index-west', region: 'us-west-2' });
  });

  const indexOf = async (region?: string) => {
    const session = env.session();
    const index = await buildReplicationIndex(session, env.home, Date.now(), {}, region ? { region } : {});
    return {
      buckets: index.entries().map((e) => [e.bucket, e.region]),
      calls: session.factory.counter.snapshot(),
    };
  };

  it("reads only that Region's buckets", async () => {
    const { buckets, calls } = await indexOf('us-west-2');
    expect(buckets).toEqual([[west.name, 'us-west-2']]);
    expect(calls['S3:GetBucketReplication']).toBe(1);
    expect(calls['S3:GetBucketLocation']).toBeUndefined();
  });

  it('of the whole account holds every bucket', async () => {
    const { buckets, calls } = await indexOf();
    expect(buckets).toEqual(
      expect.arrayContaining([...east.map((b) => [b.name, 'us-east-1']), [west.name, 'us-west-2']]),
    );
    expect(calls['S3:GetBucketReplication']).toBe(3);
  });
});
