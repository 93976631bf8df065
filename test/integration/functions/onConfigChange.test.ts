import { CreatePolicyVersionCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { replicationRolePolicy } from '../../scenarios/builder/policies.js';
import { scenario, withoutActions, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import {
  FIXTURE_ACCOUNT,
  lambdaContext,
  loadEvent,
  rewrite,
  type FixtureName,
} from '../../fixtures/events/index.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');

/** The stack runs in us-west-2; IAM events reach it forwarded from us-east-1. */
const STACK_REGION = 'us-west-2';

describe('onConfigChange (the deployed function, against the emulator)', () => {
  let east: Scenario;
  let west: Scenario;
  let hub: SecurityHubClient;
  let box: Inbox;
  let handler: Awaited<ReturnType<typeof loadFunction>>;
  let kms: ReplicationPath;
  let westPair: ReplicationPath;
  let managed: ReplicationPath;

  /** A CloudTrail fixture moved into the scenario's account, with `changes` applied to its detail. */
  const apiCall = (name: FixtureName<'cloudtrail'>, replacements: Record<string, string>) =>
    rewrite(loadEvent('cloudtrail', name), { [FIXTURE_ACCOUNT]: east.home, ...replacements });

  const call = (event: unknown) =>
    handler(event, lambdaContext('onConfigChange')) as Promise<Record<string, unknown>>;

  /** Alerts since the last call, as `transition ruleId bucket`. */
  const alerts = async (): Promise<string[]> =>
    (await box.drain()).envelope
      .map((a) => `${a.body.transition} ${a.attributes.ruleId} ${a.attributes.bucket}`)
      .sort();

  /** ACTIVE findings of a rule for a bucket (the bucket is a ProductField, filtered here: the emulator filters only top-level fields). */
  const active = async (ruleId: string, bucket: string) => {
    const out = await hub.send(
      new GetFindingsCommand({
        Filters: {
          GeneratorId: [{ Value: `replguard/${ruleId}`, Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
      }),
    );
    return (out.Findings ?? []).filter((f) => f.ProductFields?.['replguard/bucket'] === bucket);
  };

  beforeAll(async () => {
    east = await scenario(endpoint, { account: testAccount(import.meta.url) });
    west = await scenario(endpoint, { account: east.home, region: STACK_REGION });
    [kms, westPair, managed] = await Promise.all([
      east.replicatedPair({ name: 'chg-kms', kms: true, crossRegion: true, monitored: true }),
      west.replicatedPair({ name: 'chg-west', crossRegion: true, metrics: true }),
      east.replicatedPair({
        name: 'chg-managed',
        crossRegion: true,
        monitored: true,
        rolePolicyAs: 'managed',
      }),
    ]);
    hub = await enableSecurityHub(east, STACK_REGION);
    await enableSecurityHub(east, 'us-east-1');
    box = await inbox(west, 'changes');
    await functionEnvironment(west, box.topicArn);
    handler = await loadFunction('onConfigChange');
    // Baseline: evaluate every source once, so later alerts are exactly what each change broke or fixed.
    for (const path of [kms, westPair, managed])
      await call(
        apiCall('s3-put-bucket-replication', {
          'phi-prod': path.source.name,
          'us-east-1': path.source.region,
        }),
      );
    await box.drain();
  });

  it('re-evaluates the sources of a destination whose versioning was suspended, and resolves when it is back', async () => {
    await west.setVersioning(westPair.destination, 'Suspended');
    const event = apiCall('s3-put-bucket-versioning', {
      'phi-dr': westPair.destination.name,
      'us-west-2': westPair.destination.region,
    });
    expect(await call(event)).toMatchObject({
      eventName: 'PutBucketVersioning',
      evaluated: [westPair.source.name],
    });
    expect(await alerts()).toEqual([`new versioning_destination_enabled ${westPair.source.name}`]);
    await west.setVersioning(westPair.destination, 'Enabled');
    await call(event);
    expect(await alerts()).toEqual([`resolved versioning_destination_enabled ${westPair.source.name}`]);
  });

  it('finds every bucket using a disabled KMS key and alerts on the key rule only', async () => {
    const key = kms.sourceKey;
    if (!key) throw new Error('no source key');
    const { kms: client } = east.clients();
    await client.send(new DisableKeyCommand({ KeyId: key.keyId }));
    const disabled = apiCall('kms-disable-key', { '1111aaaa-0000-4000-8000-000000000001': key.keyId });
    expect(await call(disabled)).toMatchObject({ evaluated: [kms.source.name] });
    const raised = await alerts();
    expect(raised).toContain(`new kms_source_decrypt_allowed ${kms.source.name}`);
    await client.send(new EnableKeyCommand({ KeyId: key.keyId }));
    await call(rewrite(disabled, { DisableKey: 'EnableKey' }));
    expect((await alerts()).every((a) => a.startsWith('resolved '))).toBe(true);
    expect(await active('kms_source_decrypt_allowed', kms.source.name)).toEqual([]);
  });

  it('handles an IAM call forwarded from us-east-1: evaluates the role’s buckets in every Region', async () => {
    const { iam } = east.clients();
    const broken = withoutActions(
      replicationRolePolicy({
        sources: [westPair.source.name],
        destinations: [westPair.destination.name],
        sourceKeys: [],
        replicaKeys: [],
      }),
      's3:ReplicateObject',
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: westPair.role.name,
        PolicyName: 'replication',
        PolicyDocument: JSON.stringify(broken),
      }),
    );
    const event = apiCall('iam-put-role-policy', { 'phi-replication': westPair.role.name });
    expect(event).toMatchObject({ region: 'us-east-1' });
    expect(await call(event)).toMatchObject({ evaluated: [westPair.source.name] });
    expect(await alerts()).toEqual([`new role_destination_permissions ${westPair.source.name}`]);
  });

  it('follows a new default version of a managed policy to the roles it is attached to', async () => {
    const policyArn = managed.role.policyArns[0];
    if (!policyArn) throw new Error('no managed policy');
    const { iam } = east.clients();
    const broken = withoutActions(
      replicationRolePolicy({
        sources: [managed.source.name],
        destinations: [managed.destination.name],
        sourceKeys: [],
        replicaKeys: [],
      }),
      's3:GetObjectVersionForReplication',
    );
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: policyArn,
        PolicyDocument: JSON.stringify(broken),
        SetAsDefault: true,
      }),
    );
    const event = apiCall('iam-create-policy-version', {
      [`arn:aws:iam::${FIXTURE_ACCOUNT}:policy/phi-replication-kms`]: policyArn,
    });
    expect(await call(event)).toMatchObject({ evaluated: [managed.source.name] });
    expect(await alerts()).toEqual([`new role_source_permissions ${managed.source.name}`]);
  });

  it('resolves a deleted destination and re-evaluates its sources', async () => {
    await east
      .clients(managed.destination.account, managed.destination.region)
      .s3.send(new DeleteBucketCommand({ Bucket: managed.destination.name }));
    const event = apiCall('s3-delete-bucket', {
      'phi-dr': managed.destination.name,
      'us-west-2': managed.destination.region,
    });
    expect(await call(event)).toMatchObject({
      evaluated: [managed.source.name],
      resolved: [managed.destination.name],
    });
    expect(await alerts()).toContain(`new replication_destination_reachable ${managed.source.name}`);
  });

  it('ignores a call that failed and rejects an event that is not an API call', async () => {
    const denied = apiCall('s3-put-bucket-policy-denied', { 'phi-prod': kms.source.name });
    expect(await call(denied)).toMatchObject({
      ignored: 'the call failed, so nothing changed',
      evaluated: [],
    });
    await expect(call(loadEvent('alarm', 'bytes-pending-alarm'))).rejects.toThrow(
      /Not an "AWS API Call via CloudTrail" event/,
    );
    expect(await alerts()).toEqual([]);
  });
});
