import { beforeAll, describe, expect, inject, it } from 'vitest';
import { collectSnapshot } from '../../../shared/collect/liveSnapshot.js';
import { known } from '../../../shared/model/datum.js';
import { keyRefId, type Snapshot, trailScopeId } from '../../../shared/model/snapshot.js';
import { resolveKey } from '../../../shared/rules/lib/keys.js';
import { testAccount } from '../../emulator/accounts.js';
import { type ReplicationPath, type Scenario, scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

describe('collectSnapshot of a healthy cross-account, cross-Region SSE-KMS path', () => {
  let env: Scenario;
  let path: ReplicationPath;
  let snapshot: Snapshot;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/liveSnapshot') });
    path = await env.replicatedPair({
      name: 'phi-prod',
      crossAccount: true,
      crossRegion: true,
      kms: true,
      objectLock: 'COMPLIANCE',
      rtc: true,
      monitored: true,
    });
    snapshot = await collectSnapshot(env.session(), path.source.name);
  });

  it('reads the source bucket in its account and Region', () => {
    const { source } = snapshot;
    expect(source).toMatchObject({ name: path.source.name, accountId: env.home, region: 'us-east-1' });
    expect(source.versioning).toEqual(known('Enabled'));
    expect(source.encryption).toEqual(
      known({ algorithm: 'aws:kms', kmsKeyId: path.sourceKey?.arn, bucketKeyEnabled: false }),
    );
    expect(source.objectLock).toEqual(
      known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 365 } }),
    );
    expect(source.tags).toEqual(known({ DataClassification: 'PHI' }));
    expect(source.notifications).toEqual(
      known({
        targets: [{ type: 'sqs', arn: path.queueArn, events: ['s3:Replication:*'] }],
        eventBridgeEnabled: false,
        // As read, ids included, so a fix adds to it without losing anything.
        configuration: {
          QueueConfigurations: [
            { Id: expect.any(String), QueueArn: path.queueArn, Events: ['s3:Replication:*'] },
          ],
        },
      }),
    );
  });

  it('reads the replication rule with its destination account, replica key, metrics and RTC', () => {
    const replication = snapshot.source.replication;
    expect(replication.known && replication.value?.role).toBe(path.role.arn);
    const rule = replication.known ? replication.value?.rules[0] : undefined;
    expect(rule).toMatchObject({
      id: path.ruleId,
      status: 'Enabled',
      filter: { prefix: '' },
      deleteMarkerReplication: 'Enabled',
      sseKmsEncryptedObjects: 'Enabled',
      destination: {
        bucket: path.destination.name,
        account: env.peer('dr'),
        accessControlTranslationOwner: 'Destination',
        replicaKmsKeyId: path.replicaKey?.arn,
        metrics: { status: 'Enabled', eventThresholdMinutes: 15 },
        replicationTime: { status: 'Enabled', minutes: 15 },
      },
    });
  });

  it('reads the destination through the read-only role of its account, in its Region', () => {
    const destination = snapshot.destinations[path.destination.arn];
    expect(destination).toMatchObject({
      accountId: env.peer('dr'),
      exists: known(true),
      region: known('us-west-2'),
    });
    expect(destination?.versioning).toEqual(known('Enabled'));
    expect(destination?.objectLock).toEqual(
      known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 365 } }),
    );
    const policy = destination?.policy;
    expect(policy?.known && JSON.stringify(policy.value)).toContain(path.role.arn);
  });

  it('reads the replication role with its trust and inline policy', () => {
    const role = snapshot.roles[path.role.arn];
    expect(role?.known && role.value).toMatchObject({
      name: path.role.name,
      accountId: env.home,
      trustPolicy: { Statement: [{ Principal: { Service: 's3.amazonaws.com' } }] },
      inlinePolicies: [{ name: 'replication' }],
      managedPolicies: [],
    });
  });

  it('stores each key under its reference where it is used and under its resolved ARN', () => {
    const source = snapshot.keys[keyRefId(path.sourceKey?.arn ?? '', 'us-east-1', env.home)];
    const replica = snapshot.keys[path.replicaKey?.arn ?? ''];
    expect(source?.known && source.value).toMatchObject({
      accountId: env.home,
      region: 'us-east-1',
      state: 'Enabled',
      manager: 'CUSTOMER',
    });
    expect(replica?.known && replica.value).toMatchObject({
      accountId: env.peer('dr'),
      region: 'us-west-2',
      state: 'Enabled',
    });
    const policy = replica?.known ? replica.value?.policy : undefined;
    expect(policy?.known && JSON.stringify(policy.value)).toContain(path.role.arn);
  });

  it("reads the source account's replication alarms", () => {
    expect(snapshot.alarms.known && snapshot.alarms.value.map((a) => a.name)).toContain(path.alarm?.name);
  });

  it('reads trails for the source scope and the destination scope', () => {
    for (const scope of [trailScopeId(env.home, 'us-east-1'), trailScopeId(env.peer('dr'), 'us-west-2')]) {
      const trails = snapshot.trails[scope];
      expect(trails?.known && trails.value.length).toBeGreaterThan(0);
      const [trail] = trails?.known ? trails.value : [];
      expect(trail?.isLogging).toEqual(known(true));
      expect(trail?.s3DataEvents).toEqual(
        known([{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }]),
      );
    }
  });
});

describe('collectSnapshot resolves the replica key however the rule names it', () => {
  let env: Scenario;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/liveSnapshot/keys') });
  });

  it.each(['alias-arn', 'id', 'alias'] as const)(
    'by %s: in the destination account and Region, also stored under the key ARN',
    async (kind) => {
      const path = await env.replicatedPair({
        name: `phi-key-${kind}`,
        crossAccount: true,
        crossRegion: true,
        kms: true,
        replicaKeyRef: kind,
      });
      const snapshot = await collectSnapshot(env.session(), path.source.name);
      const ref = path.replicaKeyRef ?? '';
      const found = resolveKey(snapshot, ref, 'us-west-2', [env.peer('dr'), env.home]);
      // (a bare key id and the key ARN are one entry: keyRefId turns the id into that ARN)
      expect(found.known && found.value).toMatchObject({
        keyArn: path.replicaKey?.arn,
        accountId: env.peer('dr'),
      });
      expect(snapshot.keys[keyRefId(ref, 'us-west-2', env.peer('dr'))]).toBe(found);
      expect(snapshot.keys[path.replicaKey?.arn ?? '']?.known).toBe(true);
    },
  );
});
