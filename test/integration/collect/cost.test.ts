import { beforeAll, describe, expect, inject, it } from 'vitest';
import { mapLimit, scan } from '../../../shared/engine/scan.js';
import { testAccount } from '../../emulator/accounts.js';
import {
  type KeyHandle,
  type ReplicationPath,
  type RoleHandle,
  type Scenario,
  scenario,
} from '../../scenarios/builder.js';
import { keyPolicy } from '../../scenarios/builder/policies.js';

const endpoint = inject('emulatorEndpoint');

/** Per source bucket: 8 reads of the source, 5 of its own destination (location, versioning, encryption, Object Lock, policy). */
const PER_BUCKET: Readonly<Record<string, number>> = {
  'S3:GetBucketLocation': 2,
  'S3:GetBucketReplication': 1,
  'S3:GetBucketTagging': 1,
  'S3:GetBucketVersioning': 2,
  'S3:GetBucketEncryption': 2,
  'S3:GetObjectLockConfiguration': 2,
  'S3:GetBucketPolicy': 2,
  'S3:GetBucketNotificationConfiguration': 1,
  // replication_backlog_objects: is there an inventory report, else list the (here: no) object versions
  'S3:ListBucketInventoryConfigurations': 1,
  'S3:ListObjectVersions': 1,
};
const perBucket = Object.values(PER_BUCKET).reduce((a, b) => a + b, 0);

describe('API calls of a scan: bucket-level reads per bucket, shared resources once', () => {
  let env: Scenario;
  let paths: ReplicationPath[];

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/cost') });
    const dst = env.peer('dr');
    await env.readOnlyRole(dst);
    const replicaKey = (x: 'a' | 'b') =>
      env.key({
        account: dst,
        region: 'us-west-2',
        alias: `cost-replica-${x}`,
        policy: keyPolicy(dst, [`arn:aws:iam::${env.home}:role/cost-replication-${x}`]),
      });
    const [sourceKey, replicaKeyA, replicaKeyB] = await Promise.all([
      env.key({ alias: 'cost-source', policy: keyPolicy(env.home) }),
      replicaKey('a'),
      replicaKey('b'),
    ]);
    const role = (name: string, replica: KeyHandle): Promise<RoleHandle> =>
      env.replicationRole(name, {
        sources: ['cost-*'],
        destinations: ['cost-*'],
        sourceKeys: [{ arn: sourceKey.arn, region: 'us-east-1' }],
        replicaKeys: [{ arn: replica.arn, region: 'us-west-2' }],
        ownerOverride: true,
      });
    const roles = await Promise.all([
      role('cost-replication-a', replicaKeyA),
      role('cost-replication-b', replicaKeyB),
    ]);
    paths = await mapLimit(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      (i) =>
        env.replicatedPair({
          name: `cost-${String(i).padStart(2, '0')}`,
          crossAccount: dst,
          crossRegion: true,
          kms: true,
          role: roles[i % 2] as RoleHandle,
          sourceKey,
          replicaKey: i % 2 === 0 ? replicaKeyA : replicaKeyB,
          monitored: i === 0,
        }),
    );
  });

  const scanOf = async (n: number) => {
    const session = env.session();
    const report = await scan(session, { buckets: paths.slice(0, n).map((p) => p.source.name) });
    expect(report.errors).toEqual([]);
    return session.factory.counter.snapshot();
  };

  it('costs 20 × the bucket-level reads plus a constant for 2 roles, 3 keys, alarms and trails', async () => {
    const [ten, twenty] = [await scanOf(10), await scanOf(20)];
    for (const [op, n] of Object.entries(PER_BUCKET)) {
      expect(ten[op], op).toBe(10 * n);
      expect(twenty[op], op).toBe(20 * n);
    }
    const shared = (calls: Record<string, number>) =>
      Object.fromEntries(Object.entries(calls).filter(([op]) => !(op in PER_BUCKET)));
    // everything else does not grow with the number of buckets
    expect(shared(twenty)).toEqual(shared(ten));
    const constant = Object.values(shared(twenty)).reduce((a, b) => a + b, 0);
    expect(constant).toBeLessThanOrEqual(30);
    const total = Object.values(twenty).reduce((a, b) => a + b, 0);
    expect(total).toBe(20 * perBucket + constant);
    expect(shared(twenty)['IAM:GetRole']).toBe(2);
    expect(shared(twenty)['KMS:GetKeyPolicy']).toBe(3);
  });

  it('locates the buckets ListBuckets returned from its BucketRegion: GetBucketLocation only for destinations', async () => {
    const session = env.session();
    const report = await scan(session, { all: true });
    expect(report.errors).toEqual([]);
    const calls = session.factory.counter.snapshot();
    const sources = report.snapshots.filter((s) => paths.some((p) => p.source.name === s.source.name));
    expect(sources).toHaveLength(paths.length);
    // every source is a listed bucket of the account: only the destinations (in the DR account) are located
    expect(calls['S3:ListBuckets']).toBe(1);
    expect(calls['S3:GetBucketLocation']).toBe(paths.length);
    expect(sources.map((s) => s.source.region)).toEqual(paths.map(() => 'us-east-1'));
  });
});
