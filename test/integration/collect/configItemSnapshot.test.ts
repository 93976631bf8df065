import { beforeAll, describe, expect, inject, it } from 'vitest';
import { collectSnapshotFromConfigItem } from '../../../shared/collect/configItemSnapshot.js';
import { collectSnapshot } from '../../../shared/collect/liveSnapshot.js';
import { testAccount } from '../../emulator/accounts.js';
import { loadConfigItem } from '../../fixtures/config-items/index.js';
import { type ReplicationPath, type Scenario, scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

/** A Config item for the path's source as Config records it, without Object Lock and replication entries. */
const itemFor = (env: Scenario, path: ReplicationPath) => {
  const item = loadConfigItem('replicated-strings');
  const supplementary = item.supplementaryConfiguration as Record<string, unknown>;
  delete supplementary.ObjectLockConfiguration;
  delete supplementary.BucketReplicationConfiguration;
  supplementary.BucketVersioningConfiguration = JSON.stringify({
    status: 'Suspended',
    isMfaDeleteEnabled: null,
  });
  supplementary.ServerSideEncryptionConfiguration = JSON.stringify({
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: path.sourceKey?.arn },
        bucketKeyEnabled: false,
      },
    ],
  });
  return {
    ...item,
    accountId: env.home,
    awsRegion: 'us-east-1',
    resourceId: path.source.name,
    resourceName: path.source.name,
    arn: path.source.arn,
    configuration: JSON.stringify({ name: path.source.name }),
    supplementaryConfiguration: supplementary,
  };
};

describe('collectSnapshotFromConfigItem', () => {
  let env: Scenario;
  let path: ReplicationPath;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/configItemSnapshot') });
    path = await env.replicatedPair({
      name: 'phi-config',
      crossAccount: true,
      kms: true,
      objectLock: 'GOVERNANCE',
    });
  });

  it('takes what the item records and reads only what it lacks from the bucket', async () => {
    const session = env.session();
    const snapshot = await collectSnapshotFromConfigItem(session, itemFor(env, path));
    expect(snapshot?.source.versioning).toEqual({ known: true, value: 'Suspended', source: 'config' });
    expect(snapshot?.source.objectLock).toEqual({
      known: true,
      value: { enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 365 } },
      source: 'api',
    });
    expect(snapshot?.source.replication).toMatchObject({
      known: true,
      source: 'api',
      value: { role: path.role.arn },
    });
    const calls = session.factory.counter.snapshot();
    expect(calls['S3:GetObjectLockConfiguration']).toBe(2); // the source (not in the item) and the destination
    expect(calls['S3:GetBucketReplication']).toBe(1);
    expect(calls['S3:GetBucketVersioning']).toBe(1); // the destination only
    expect(calls['S3:GetBucketNotificationConfiguration']).toBeUndefined();
  });

  it('completes destinations, role, keys and trails as a live collection does', async () => {
    const fromItem = await collectSnapshotFromConfigItem(env.session(), itemFor(env, path));
    const live = await collectSnapshot(env.session(), path.source.name);
    expect(fromItem?.destinations).toEqual(live.destinations);
    expect(fromItem?.roles).toEqual(live.roles);
    expect(fromItem?.keys).toEqual(live.keys);
    expect(fromItem?.trails).toEqual(live.trails);
  });

  // Config items carry no Organization policies: they are read live, like the role and keys, so the six
  // permission rules judge a Config-triggered evaluation with the same SCPs and RCPs as a scan.
  it('reads the Organization policies of the path live, as a live collection does', async () => {
    const session = env.session();
    const fromItem = await collectSnapshotFromConfigItem(session, itemFor(env, path));
    const live = await collectSnapshot(env.session(), path.source.name);
    expect(fromItem?.organization).toEqual(live.organization);
    expect(Object.keys(fromItem?.organization ?? {}).sort()).toEqual([env.home, env.peer('dr')].sort());
    expect(session.factory.counter.snapshot()['ORGANIZATIONS:DescribeOrganization']).toBe(1);
  });

  it('returns null for a deleted bucket without reading anything', async () => {
    const session = env.session();
    const deleted = { ...loadConfigItem('deleted'), accountId: env.home };
    expect(await collectSnapshotFromConfigItem(session, deleted)).toBeNull();
    expect(session.factory.counter.total()).toBe(0);
  });
});
