import {
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import {
  lambdaContext,
  loadEvent,
  replicationRecord,
  s3Message,
  snsEnvelope,
  sqsEvent,
  sqsRecord,
} from '../../fixtures/events/index.js';
import { enableSecurityHub, inbox, type Delivered, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const PATIENT = 'patients/Jane Doe/2025-03-04 MRI.dcm';

type Handler = Awaited<ReturnType<typeof loadFunction>>;

describe('onReplicationFailure (the deployed function, against the emulator)', () => {
  let env: Scenario;
  let hub: SecurityHubClient;
  let box: Inbox;
  let handler: Handler;
  let unversioned: ReplicationPath;
  let untrusted: ReplicationPath;

  const findings = async (): Promise<AwsSecurityFinding[]> => {
    const out: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await hub.send(
        new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
      );
      out.push(...(page.Findings ?? []));
      token = page.NextToken || undefined;
    } while (token);
    return out.filter((f) => f.GeneratorId?.startsWith('replguard/replication_'));
  };

  const alerts = async (): Promise<Delivered[]> => (await box.drain()).envelope;

  const record = (path: ReplicationPath, failureReason: string, i: number, eventName?: string) =>
    replicationRecord({
      bucket: path.source.name,
      destinationBucket: path.destination.name,
      ruleId: path.ruleId,
      failureReason,
      key: `${PATIENT} #${i}`,
      eventTime: new Date(Date.parse('2025-03-04T21:00:00Z') + i * 100).toISOString(),
      ...(eventName ? { eventName } : {}),
    });

  /** 1,000 events: 500 DstBucketUnversioned and 300 DstPutObjectNotPermitted on one pair, 150 AssumeRoleNotPermitted on another, 50 RTC misses. */
  const storm = (offset = 0): Record<string, unknown>[] => {
    const topic = `arn:aws:sns:${env.region}:${env.home}:phi-replication-events`;
    return Array.from({ length: 1000 }, (_, n) => {
      const i = n + offset;
      const r =
        n % 20 === 19
          ? record(unversioned, '', i, 'Replication:OperationMissedThreshold')
          : n % 20 < 10
            ? record(unversioned, 'DstBucketUnversioned', i)
            : n % 20 < 16
              ? record(unversioned, 'DstPutObjectNotPermitted', i)
              : record(untrusted, 'AssumeRoleNotPermitted', i);
      return sqsRecord(`msg-${i}`, n % 2 ? snsEnvelope(s3Message([r]), topic) : s3Message([r]));
    });
  };

  /** Delivers messages as the event source mapping does: batches of up to 100. */
  const deliver = async (records: Record<string, unknown>[]) => {
    const failures: string[] = [];
    for (let i = 0; i < records.length; i += 100) {
      const out = (await handler(
        sqsEvent(records.slice(i, i + 100)),
        lambdaContext('onReplicationFailure'),
      )) as {
        batchItemFailures: { itemIdentifier: string }[];
      };
      failures.push(...out.batchItemFailures.map((f) => f.itemIdentifier));
    }
    return failures;
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    [unversioned, untrusted] = await Promise.all([
      env.replicatedPair({ name: 'storm-a', metrics: true, destinationVersioning: 'Suspended' }),
      env.replicatedPair({
        name: 'storm-b',
        metrics: true,
        trustPolicy: (p) => ({
          ...p,
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    ]);
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'failures');
    await functionEnvironment(env, box.topicArn);
    handler = await loadFunction('onReplicationFailure');
  });

  it(
    'turns a storm of 1,000 events in 10 batches into one finding and one alert per aggregate',
    { timeout: 180_000 },
    async () => {
      expect(await deliver(storm())).toEqual([]);
      const sent = await alerts();
      expect(sent).toHaveLength(4);
      expect(sent.map((a) => a.body.transition)).toEqual(['new', 'new', 'new', 'new']);
      const stored = await findings();
      const byReason = Object.fromEntries(
        stored.map(
          (f) => [f.ProductFields?.['replguard/details/failureReason'] ?? f.GeneratorId, f] as const,
        ),
      );
      expect(Object.keys(byReason).sort()).toEqual([
        'AssumeRoleNotPermitted',
        'DstBucketUnversioned',
        'DstPutObjectNotPermitted',
        'replguard/replication_threshold_missed',
      ]);
      // Counts accumulate across the 10 invocations (read back from the stored findings).
      expect(byReason.DstBucketUnversioned?.ProductFields?.['replguard/details/count']).toBe('500');
      expect(byReason.DstPutObjectNotPermitted?.ProductFields?.['replguard/details/count']).toBe('300');
      expect(byReason.AssumeRoleNotPermitted?.ProductFields?.['replguard/details/count']).toBe('150');
      expect(
        byReason['replguard/replication_threshold_missed']?.ProductFields?.['replguard/details/count'],
      ).toBe('50');
      expect(byReason.DstBucketUnversioned).toMatchObject({
        Severity: { Label: 'CRITICAL' },
        Compliance: { Status: 'FAILED' },
        FirstObservedAt: '2025-03-04T21:00:00.000Z',
      });
      expect(byReason.DstBucketUnversioned?.Description).toContain(
        `Replication of ${unversioned.source.name} to ${unversioned.destination.name} (rule ${unversioned.ruleId}) is failing with DstBucketUnversioned`,
      );
      expect(byReason.DstBucketUnversioned?.Description).toContain(
        'Root cause: [versioning_destination_enabled]',
      );
      expect(byReason.AssumeRoleNotPermitted?.Description).toContain('Root cause: [role_trusts_s3]');
    },
  );

  it(
    'sends no new alert for a second identical batch (the finding only counts up)',
    { timeout: 60_000 },
    async () => {
      const again = storm().slice(0, 100);
      expect(await deliver(again)).toEqual([]);
      expect(await alerts()).toEqual([]);
      const unv = (await findings()).find(
        (f) => f.ProductFields?.['replguard/details/failureReason'] === 'DstBucketUnversioned',
      );
      expect(unv?.ProductFields?.['replguard/details/count']).toBe('550');
    },
  );

  it('never publishes raw object keys: findings and alerts carry salted hashes', async () => {
    const everything = JSON.stringify(await findings());
    expect(everything).not.toContain('Jane');
    expect(everything).toMatch(/sha256:[0-9a-f]{16}/);
    await deliver([sqsRecord('new-reason', s3Message([record(unversioned, 'DstKmsKeyNotFound', 5000)]))]);
    const [alert] = await alerts();
    expect(alert?.raw).not.toContain('Jane');
    expect(alert?.body.transition).toBe('new');
  });

  it('reports a malformed message as a batch item failure, acknowledges s3:TestEvent, and handles the rest', async () => {
    const failures = await deliver([
      sqsRecord('broken', '{"Records": [ truncated', 2),
      sqsRecord('test', loadEvent('s3', 'test-event')),
      sqsRecord('fine', s3Message([record(unversioned, 'DstBucketUnversioned', 6000)])),
    ]);
    expect(failures).toEqual(['broken']);
    expect(await alerts()).toEqual([]);
  });

  it('rejects an event that is not an SQS batch, so Lambda reports the failure', async () => {
    await expect(
      handler(loadEvent('alarm', 'bytes-pending-alarm'), lambdaContext('onReplicationFailure')),
    ).rejects.toThrow(/Not an SQS batch event/);
  });
});
