/**
 * On-call, end to end through the deployed functions: a replication failure storm reaches PagerDuty (a loopback
 * stand-in holding every request to the Events API v2 contract), the alert topic and the chat topic exactly
 * once; the periodic evaluation resolves the incident, with the same dedup_key, once the cause is fixed and
 * the failures have stopped. The routing key never appears in a log line.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { conforms } from '../../fixtures/contracts/index.js';
import {
  lambdaContext,
  replicationRecord,
  s3Message,
  snsEnvelope,
  sqsEvent,
  sqsRecord,
} from '../../fixtures/events/index.js';
import { enableSecurityHub, inbox, type Delivered, type Inbox } from '../publish/inbox.js';
import { type PagerDutyStandIn, startPagerDuty } from '../publish/pagerDutyServer.js';
import { functionEnvironment, loadFunction, periodicRun as runPeriodic } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const ROUTING_KEY = 'F0NCT10NSR0UT1NGKEY0123456789abc';
const PATIENT = 'patients/Jane Doe/2025-03-04 MRI.dcm';

type Handler = Awaited<ReturnType<typeof loadFunction>>;

describe('alerting through the deployed functions (PagerDuty, alert topic, chat topic)', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let pd: PagerDutyStandIn;
  let alerts: Inbox;
  let chat: Inbox;
  let onFailure: Handler;
  let evaluate: Handler;
  const stdout: string[] = [];
  /** dedup_key of the runtime incident (the finding id of replication_operations_failing). */
  let incident = '';
  /** Finding id of the posture finding behind it (versioning_destination_enabled). */
  let posture = '';

  const record = (i: number) =>
    replicationRecord({
      bucket: pair.source.name,
      destinationBucket: pair.destination.name,
      ruleId: pair.ruleId,
      failureReason: 'DstBucketUnversioned',
      key: `${PATIENT} #${i}`,
      eventTime: new Date(Date.parse('2025-03-04T21:00:00Z') + i * 100).toISOString(),
    });

  /** `count` failure events, half in an SNS envelope, delivered in batches of 100 as the event source mapping does. */
  const storm = async (count: number, offset = 0) => {
    const topic = `arn:aws:sns:${env.region}:${env.home}:phi-replication-events`;
    const failed: string[] = [];
    for (let start = 0; start < count; start += 100) {
      const batch = Array.from({ length: Math.min(100, count - start) }, (_, n) => {
        const i = offset + start + n;
        const message = s3Message([record(i)]);
        return sqsRecord(`msg-${i}`, i % 2 ? snsEnvelope(message, topic) : message);
      });
      const out = (await onFailure(sqsEvent(batch), lambdaContext('onReplicationFailure'))) as {
        batchItemFailures: { itemIdentifier: string }[];
      };
      failed.push(...out.batchItemFailures.map((f) => f.itemIdentifier));
    }
    return failed;
  };

  const periodicRun = (token: string) => runPeriodic(evaluate, env, token);

  const pdEvents = () =>
    pd.received
      .splice(0)
      .map((r) => ({ status: r.status, ...r.body }) as { status: number } & Record<string, unknown>);
  const about = (sent: Delivered[], bucket: string) =>
    sent.filter((a) => JSON.stringify(a.body).includes(bucket));

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    pair = await env.replicatedPair({ name: 'oncall', metrics: true, destinationVersioning: 'Suspended' });
    await enableSecurityHub(env);
    alerts = await inbox(env, 'oncall');
    chat = await inbox(env, 'oncall-chat');
    const secrets = withAccount(
      new SecretsManagerClient(emulatorClientConfig(endpoint, env.region)),
      env.home,
    );
    const secret = await secrets.send(
      new CreateSecretCommand({
        Name: 'replguard/pagerduty',
        SecretString: JSON.stringify({ routingKey: ROUTING_KEY }),
      }),
    );
    pd = await startPagerDuty();
    await functionEnvironment(env, alerts.topicArn, {
      REPLGUARD_CHAT_TOPIC_ARN: chat.topicArn,
      REPLGUARD_PAGERDUTY_SECRET_ARN: secret.ARN ?? '',
      REPLGUARD_PAGERDUTY_EVENTS_URL: pd.url,
      REPLGUARD_EXCEPTIONS_PARAMETER: 'off',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    // Every line the functions write (Powertools logs JSON to stdout), to prove what never appears in them.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    onFailure = await loadFunction('onReplicationFailure');
    evaluate = await loadFunction('evaluateBucket');
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await pd?.close();
  });

  it(
    'pages once, alerts once and notifies the chat channel once for a storm of 1,000 failures',
    { timeout: 180_000 },
    async () => {
      expect(await storm(1000)).toEqual([]);
      const events = pdEvents();
      expect(events.map((e) => [e.status, e.event_action])).toEqual([[202, 'trigger']]);
      const [trigger] = events as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(trigger?.routing_key).toBe(ROUTING_KEY);
      expect(trigger?.payload).toMatchObject({
        severity: 'critical',
        source: `arn:aws:s3:::${pair.source.name}`,
      });
      expect(trigger?.payload.summary).toContain('DstBucketUnversioned');
      expect(JSON.stringify(trigger)).not.toContain('Jane');
      incident = String(trigger?.dedup_key);

      const { envelope, raw } = await alerts.drain();
      expect(envelope.map((a) => [a.body.transition, a.attributes.ruleId])).toEqual([
        ['new', 'replication_operations_failing'],
      ]);
      expect(raw).toHaveLength(1);
      expect(envelope[0]?.subject).toContain('DstBucketUnversioned');
      expect((envelope[0]?.body.finding as { id?: string }).id).toBe(trigger?.dedup_key);

      const notes = (await chat.drain()).envelope;
      expect(notes).toHaveLength(1);
      expect(conforms('chatbot-custom-notification', notes[0]?.body)).toEqual([]);
      expect(notes[0]?.body).toMatchObject({ metadata: { threadId: trigger?.dedup_key } });
    },
  );

  it('sends nothing anywhere for the next batch of the same failure (the finding only counts up)', async () => {
    expect(await storm(100, 1000)).toEqual([]);
    expect(pdEvents()).toEqual([]);
    expect((await alerts.drain()).envelope).toEqual([]);
    expect((await chat.drain()).envelope).toEqual([]);
  });

  it(
    'keeps the incident open while the destination is still unversioned, even when the failures have stopped',
    { timeout: 120_000 },
    async () => {
      await periodicRun('oncall-still-broken');
      const events = pdEvents();
      // The posture finding behind the incident pages on its own; the runtime incident is not resolved.
      expect(events.filter((e) => e.event_action === 'resolve')).toEqual([]);
      const found = about((await alerts.drain()).envelope, pair.source.name).find(
        (a) => a.attributes.ruleId === 'versioning_destination_enabled',
      );
      expect(found?.body.transition).toBe('new');
      posture = String(found?.body.finding?.id);
      expect(events.filter((e) => e.event_action === 'trigger').map((e) => e.dedup_key)).toContain(posture);
      expect(pd.open.has(incident)).toBe(true);
      await chat.drain();
    },
  );

  it(
    'resolves the incident with the same dedup_key once the cause is fixed, on alert topic and chat too',
    { timeout: 120_000 },
    async () => {
      await env.setVersioning(pair.destination, 'Enabled');
      await periodicRun('oncall-fixed');
      const resolves = pdEvents().filter((e) => e.event_action === 'resolve');
      expect(resolves.map((e) => [e.status, e.dedup_key]).sort()).toEqual(
        [
          [202, incident],
          [202, posture],
        ].sort(),
      );
      expect(pd.open.has(incident) || pd.open.has(posture)).toBe(false);
      const resolved = about((await alerts.drain()).envelope, pair.source.name)
        .filter((a) => a.body.transition === 'resolved')
        .map((a) => a.attributes.ruleId)
        .sort();
      expect(resolved).toEqual(['replication_operations_failing', 'versioning_destination_enabled']);
      const notes = (await chat.drain()).envelope.filter((n) =>
        JSON.stringify(n.body).includes(pair.source.name),
      );
      const titles = notes.map((n) => (n.body as { content: { title: string } }).content.title);
      expect(titles.filter((t) => t.includes('[RESOLVED]'))).toHaveLength(2);
      for (const note of notes) expect(conforms('chatbot-custom-notification', note.body)).toEqual([]);
    },
  );

  it('logged what PagerDuty answered, never the routing key or an object key', () => {
    const logged = stdout.join('');
    const lines = logged
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    // What PagerDuty answered is in the run's log line, so on-call can see the resolve went through.
    const answers = lines.flatMap((l) => l.summary?.answers ?? []);
    expect(answers).toContainEqual(
      expect.objectContaining({ sink: 'pagerDuty', action: 'resolve', findingId: incident, accepted: true }),
    );
    expect(logged).not.toContain(ROUTING_KEY);
    expect(logged).not.toContain('Jane');
  });
});
