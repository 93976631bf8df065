/**
 * replicationCanary, the deployed function, against the emulator with live replication (launcher patch
 * `s3-replication`: PENDING → COMPLETED with a REPLICA in the destination, FAILED when the destination is not
 * versioned). A healthy cross-account pair: a canary under replguard-canary/, its replica read through the
 * read-only role, a latency metric and no finding. Destination versioning suspended: replication_canary_failed,
 * diagnosed. Versioning back on: the next canary resolves it.
 */
import {
  DeleteBucketPolicyCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import {
  type AwsSecurityFinding,
  GetFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CANARY_LIFECYCLE_RULE } from '../../../shared/canary/pairs.js';
import { testAccount } from '../../emulator/accounts.js';
import { FIXTURE_ACCOUNT, lambdaContext, loadEvent, rewrite } from '../../fixtures/events/index.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const OPTED_IN = { DataClassification: 'PHI', 'replguard:canary': 'true' };

describe('replicationCanary (the deployed function, against the emulator with live replication)', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let quiet: ReplicationPath;
  let locked: ReplicationPath;
  let hub: SecurityHubClient;
  let box: Inbox;
  let handler: Awaited<ReturnType<typeof loadFunction>>;
  const stdout: string[] = [];

  const run = async () => {
    const event = rewrite(loadEvent('schedule', 'canary-schedule'), { [FIXTURE_ACCOUNT]: env.home });
    return (await handler(event, lambdaContext('replicationCanary', 120_000))) as Record<string, unknown>;
  };

  /** Waits until the emulator has run every queued replication copy. */
  const drain = async () => {
    const response = await fetch(`${endpoint}/replguard/replication/drain?timeoutMs=20000`);
    expect(await response.json()).toStrictEqual({ Drained: true });
  };

  const keys = async (side: 'source' | 'destination', of: ReplicationPath = pair) => {
    const bucket = of[side];
    const s3 = env.clients(bucket.account, bucket.region).s3;
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket.name }));
    return (out.Versions ?? []).map((v) => v.Key ?? '');
  };

  const canaryFinding = async (): Promise<AwsSecurityFinding | undefined> => {
    const out = await hub.send(
      new GetFindingsCommand({
        Filters: { GeneratorId: [{ Value: 'replguard/replication_canary_failed', Comparison: 'EQUALS' }] },
      }),
    );
    return out.Findings?.[0];
  };

  const latencies = () =>
    stdout
      .join('')
      .split('\n')
      .filter((l) => l.includes('"ReplicationCanaryLatency"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    [pair, quiet, locked] = await Promise.all([
      env.replicatedPair({ name: 'canary', crossAccount: true, kms: true, tags: OPTED_IN }),
      env.replicatedPair({ name: 'not-opted-in' }),
      env.replicatedPair({ name: 'canary-locked', objectLock: 'COMPLIANCE', tags: OPTED_IN }),
    ]);
    // The emulator speaks plain HTTP: a TLS-only bucket policy would deny every object request (in AWS the
    // canary uses HTTPS). Without it the diagnosis also reports tls_only_policy, which changes nothing here.
    for (const bucket of [pair.source, pair.destination])
      await env
        .clients(bucket.account, bucket.region)
        .s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket.name }));
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'canary');
    await functionEnvironment(env, box.topicArn, { REPLGUARD_CANARY_WAIT_SECONDS: '10' });
    handler = await loadFunction('replicationCanary');
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  });

  it('writes one canary under replguard-canary/ in the opted-in source, sees its replica and raises nothing', async () => {
    const outcome = await run();
    expect(outcome).toMatchObject({
      sources: 2,
      written: 1,
      replicated: 1,
      failed: 0,
      pending: 0,
      errors: [],
    });
    expect(outcome.skipped).toEqual([
      {
        bucket: locked.source.name,
        reason: expect.stringContaining(
          'default Object Lock retention (365 days) exceeds CanaryMaxRetentionDays (1)',
        ),
      },
    ]);
    const [canary, ...others] = await keys('source');
    expect(others).toEqual([]);
    expect(canary).toMatch(/^replguard-canary\/\d{8}T\d{9}Z-[0-9a-f]{8}\.txt$/);
    const replica = await env
      .clients(pair.destination.account, pair.destination.region)
      .s3.send(new HeadObjectCommand({ Bucket: pair.destination.name, Key: canary }));
    expect(replica.ReplicationStatus).toBe('REPLICA');
    expect(replica.Metadata).toMatchObject({ 'replguard-canary': 'true' });
    expect(await keys('source', quiet)).toEqual([]);
    expect(await keys('source', locked)).toEqual([]);
    expect(await canaryFinding()).toBeUndefined();
    expect((await box.drain()).envelope).toEqual([]);
  });

  it('emits ReplicationCanaryLatency for the source bucket', () => {
    const [metric] = latencies();
    expect(metric).toMatchObject({ SourceBucket: pair.source.name, function: 'replicationCanary' });
    expect(metric?.ReplicationCanaryLatency).toBeGreaterThanOrEqual(0);
    expect(metric?.ReplicationCanaryLatency).toBeLessThan(10);
  });

  it('warns while no lifecycle rule expires the canaries, and not once the documented rule is there', async () => {
    const before = await run();
    expect(before.warnings).toEqual(
      expect.arrayContaining([
        {
          bucket: pair.source.name,
          reason: expect.stringContaining('no enabled lifecycle rule of the source'),
        },
        {
          bucket: pair.destination.name,
          reason: expect.stringContaining('no enabled lifecycle rule of the destination'),
        },
      ]),
    );
    for (const bucket of [pair.source, pair.destination])
      await env.clients(bucket.account, bucket.region).s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket.name,
          LifecycleConfiguration: { Rules: [CANARY_LIFECYCLE_RULE] },
        }),
      );
    expect((await run()).warnings).toEqual([]);
  });

  it('judges a canary still in flight in the next run, from the state it left in the source', async () => {
    process.env.REPLGUARD_CANARY_WAIT_SECONDS = '0';
    try {
      const first = await run();
      expect(first).toMatchObject({ written: 1, replicated: 0, pending: 1 });
      expect(await keys('source')).toContain('replguard-canary/state');
      await drain();
      const next = await run();
      expect(next).toMatchObject({ written: 1, replicated: 1, failed: 0 });
    } finally {
      process.env.REPLGUARD_CANARY_WAIT_SECONDS = '10';
    }
    await drain();
  });

  it('raises replication_canary_failed when destination versioning is suspended (replication FAILED), diagnosed, alerting once', async () => {
    await env.setVersioning(pair.destination, 'Suspended');
    const outcome = await run();
    expect(outcome).toMatchObject({ failed: 1, summary: { new: 1, messagesSent: 1 } });
    const finding = await canaryFinding();
    expect(finding).toMatchObject({
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      ProductFields: expect.objectContaining({
        'replguard/details/sourceStatus': 'FAILED',
        'replguard/details/replica': 'absent',
      }),
    });
    expect(finding?.ProductFields?.['replguard/details/probableCause']).toContain(
      'versioning_destination_enabled',
    );
    expect(finding?.Description).toContain(
      `The replication canary of ${pair.source.name} to ${pair.destination.name} (rule ${pair.ruleId}) failed`,
    );
    const { envelope } = await box.drain();
    expect(envelope.map((a) => [a.body.transition, a.attributes.ruleId])).toEqual([
      ['new', 'replication_canary_failed'],
    ]);
  });

  it('resolves the finding once a later canary replicates in time, with one resolve alert', async () => {
    await env.setVersioning(pair.destination, 'Enabled');
    const outcome = await run();
    expect(outcome).toMatchObject({ replicated: 1, failed: 0, summary: { resolved: 1 } });
    expect(await canaryFinding()).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
    expect((await box.drain()).envelope.map((a) => a.body.transition)).toEqual(['resolved']);
  });

  it('never logs anything but its own canary keys', () => {
    const logged = stdout.join('');
    expect(logged).not.toMatch(/patients\//);
    expect(latencies().every((m) => !JSON.stringify(m).includes('replguard-canary/'))).toBe(true);
  });
});
