import { beforeAll, describe, expect, inject, it } from 'vitest';
import { collectSnapshot } from '../../../shared/collect/liveSnapshot.js';
import { type Snapshot, trailScopeId } from '../../../shared/model/snapshot.js';
import { evaluateSnapshot } from '../../../shared/engine/evaluate.js';
import { testAccount } from '../../emulator/accounts.js';
import { type ReplicationPath, type Scenario, scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

describe('a destination account ReplGuard cannot enter', () => {
  let env: Scenario;
  let path: ReplicationPath;
  let snapshot: Snapshot;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/crossAccount') });
    // no ReplGuardReadOnly role in the destination account
    path = await env.replicatedPair({
      name: 'phi-locked',
      crossAccount: env.peer('sealed'),
      crossRegion: true,
      kms: true,
      monitored: true,
      readOnlyRole: false,
    });
    snapshot = await collectSnapshot(env.session(), path.source.name);
  });

  it('reads the destination as unknown, naming sts:AssumeRole', () => {
    const destination = snapshot.destinations[path.destination.arn];
    for (const datum of [
      destination?.exists,
      destination?.region,
      destination?.versioning,
      destination?.policy,
    ])
      expect(datum).toMatchObject({ known: false, permission: 'sts:AssumeRole' });
    const exists = destination?.exists;
    expect(exists && !exists.known ? exists.reason : '').toContain(
      `arn:aws:iam::${env.peer('sealed')}:role/ReplGuardReadOnly`,
    );
  });

  it('reads the replica key (named by ARN) as unknown, naming sts:AssumeRole', () => {
    expect(snapshot.keys[path.replicaKey?.arn ?? '']).toMatchObject({
      known: false,
      permission: 'sts:AssumeRole',
    });
  });

  it('still reads everything in the source account', () => {
    expect(snapshot.source.versioning.known).toBe(true);
    expect(snapshot.roles[path.role.arn]?.known).toBe(true);
    expect(snapshot.trails[trailScopeId(env.home, 'us-east-1')]?.known).toBe(true);
  });

  it('never reports a rule that needs the destination account as COMPLIANT', () => {
    const needsDestinationAccount = new Set([
      'replication_destination_reachable',
      'versioning_destination_enabled',
      'object_lock_destination_enabled',
      'kms_replica_key_configured',
      'destination_policy_allows_role',
      'kms_destination_encrypt_allowed',
    ]);
    const results = evaluateSnapshot(snapshot).filter(
      (r) => r.destinationBucket === path.destination.name && needsDestinationAccount.has(r.ruleId),
    );
    expect(results.length).toBeGreaterThanOrEqual(4);
    expect(results.filter((r) => r.status === 'COMPLIANT').map((r) => r.ruleId)).toEqual([]);
    const versioning = results.find((r) => r.ruleId === 'versioning_destination_enabled');
    expect(versioning).toMatchObject({ status: 'UNKNOWN', details: { missingPermission: 'sts:AssumeRole' } });
  });
});

describe('a destination account where ReplGuard may read', () => {
  it('reads the destination through the assumed role, acting in that account', async () => {
    const env = await scenario(endpoint, { account: testAccount('integration/collect/crossAccount/open') });
    const path = await env.replicatedPair({ name: 'phi-open', crossAccount: true });
    const session = env.session();
    const snapshot = await collectSnapshot(session, path.source.name);
    expect(snapshot.destinations[path.destination.arn]).toMatchObject({
      accountId: env.peer('dr'),
      exists: { known: true, value: true },
      versioning: { known: true, value: 'Enabled' },
    });
    expect(session.factory.counter.snapshot()['STS:AssumeRole']).toBe(1);
  });
});

describe('S3 reads denied in the source account', () => {
  it.each([
    ['S3:GetBucketPolicy', 's3:GetBucketPolicy', 'policy'],
    ['S3:GetBucketNotificationConfiguration', 's3:GetBucketNotification', 'notifications'],
    ['S3:GetObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration', 'objectLock'],
  ] as const)('%s → the datum is unknown naming %s', async (call, permission, field) => {
    const env = await scenario(endpoint, { account: testAccount('integration/collect/crossAccount/denied') });
    const path = await env.replicatedPair({ name: `phi-denied-${field.toLowerCase()}` });
    const snapshot = await collectSnapshot(
      env.session({ deny: [{ call, account: env.home }] }),
      path.source.name,
    );
    expect(snapshot.source[field]).toEqual({
      known: false,
      reason: `AccessDenied on ${permission}`,
      permission,
      source: 'api',
    });
  });
});
