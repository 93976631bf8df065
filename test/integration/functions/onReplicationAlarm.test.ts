import {
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
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

describe('onReplicationAlarm (the deployed function, against the emulator)', () => {
  let env: Scenario;
  let hub: SecurityHubClient;
  let box: Inbox;
  let handler: Awaited<ReturnType<typeof loadFunction>>;
  let path: ReplicationPath;

  /** An alarm fixture moved onto the scenario's pair and account. */
  const alarmEvent = (name: FixtureName<'alarm'>) =>
    rewrite(loadEvent('alarm', name), {
      'phi-to-dr': path.ruleId,
      'phi-prod': path.source.name,
      'phi-dr': path.destination.name,
      [FIXTURE_ACCOUNT]: env.home,
    });

  const backlog = async (): Promise<AwsSecurityFinding | undefined> => {
    const out = await hub.send(
      new GetFindingsCommand({
        Filters: { GeneratorId: [{ Value: 'replguard/replication_backlog', Comparison: 'EQUALS' }] },
      }),
    );
    return out.Findings?.[0];
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    // A pair whose replica key is disabled: nothing replicates, the backlog grows.
    path = await env.replicatedPair({
      name: 'backlog',
      kms: true,
      metrics: true,
      replicaKeyState: 'Disabled',
    });
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'alarms');
    await functionEnvironment(env, box.topicArn);
    handler = await loadFunction('onReplicationAlarm');
  });

  it('raises replication_backlog on ALARM with the metric, its value and the probable cause, and alerts once', async () => {
    const outcome = await handler(alarmEvent('bytes-pending-alarm'), lambdaContext('onReplicationAlarm'));
    expect(outcome).toMatchObject({ state: 'ALARM', pairs: 1, summary: { new: 1, messagesSent: 1 } });
    const finding = await backlog();
    expect(finding).toMatchObject({
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      ProductFields: expect.objectContaining({
        'replguard/details/metrics': 'BytesPendingReplication',
        'replguard/details/value': '8589934592',
        'replguard/details/threshold': '1073741824',
        'replguard/details/probableCause': 'kms_replica_key_configured',
      }),
    });
    expect(finding?.Description).toContain(
      `Replication of ${path.source.name} to ${path.destination.name} (rule ${path.ruleId}) is backing up`,
    );
    expect(finding?.Description).toContain('Probable cause: [kms_replica_key_configured]');
    const { envelope } = await box.drain();
    expect(envelope.map((a) => [a.body.transition, a.attributes.ruleId])).toEqual([
      ['new', 'replication_backlog'],
    ]);
  });

  it('changes nothing on a repeated ALARM or on INSUFFICIENT_DATA', async () => {
    await handler(alarmEvent('bytes-pending-alarm'), lambdaContext('onReplicationAlarm'));
    expect(
      await handler(alarmEvent('bytes-pending-insufficient-data'), lambdaContext('onReplicationAlarm')),
    ).toMatchObject({
      ignored: 'INSUFFICIENT_DATA changes no finding',
    });
    expect((await box.drain()).envelope).toEqual([]);
    expect((await backlog())?.RecordState).toBe('ACTIVE');
  });

  it('resolves the finding on OK and sends one resolve alert', async () => {
    const outcome = await handler(alarmEvent('bytes-pending-ok'), lambdaContext('onReplicationAlarm'));
    expect(outcome).toMatchObject({ state: 'OK', summary: { resolved: 1, messagesSent: 1 } });
    expect(await backlog()).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
    const { envelope } = await box.drain();
    expect(envelope.map((a) => a.body.transition)).toEqual(['resolved']);
  });

  it('reads a metric math alarm on the pair (several metrics) as one backlog finding', async () => {
    const outcome = await handler(alarmEvent('metric-math-alarm'), lambdaContext('onReplicationAlarm'));
    expect(outcome).toMatchObject({ state: 'ALARM', pairs: 1, summary: { new: 1 } });
    expect((await backlog())?.ProductFields?.['replguard/details/metrics']).toBe(
      'OperationsFailedReplication, OperationsPendingReplication',
    );
    expect((await box.drain()).envelope).toHaveLength(1);
  });

  it('ignores alarms on other metrics and rejects events that are not alarm state changes', async () => {
    expect(
      await handler(alarmEvent('unrelated-metric-alarm'), lambdaContext('onReplicationAlarm')),
    ).toMatchObject({
      ignored: expect.stringContaining('no AWS/S3 replication metric'),
    });
    await expect(
      handler(loadEvent('cloudtrail', 'kms-disable-key'), lambdaContext('onReplicationAlarm')),
    ).rejects.toThrow(/Not a "CloudWatch Alarm State Change" event/);
  });
});
