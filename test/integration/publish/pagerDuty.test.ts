/**
 * PagerDuty delivery through the Events API v2, against a loopback stand-in that holds every request to
 * PagerDuty's published contract, with the routing key in Secrets Manager (the emulator) and the endpoint
 * overridden by REPLGUARD_PAGERDUTY_EVENTS_URL, as the functions and the CLI run it.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { EVENTS_URL_ENV } from '../../../shared/publish/pagerDutyClient.js';
import { clearRoutingKeys } from '../../../shared/publish/routingKey.js';
import type { SinkLogger } from '../../../shared/publish/sinks/index.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { scenario, type Scenario } from '../../scenarios/builder.js';
import { failing } from '../../unit/publish/fixtures.js';
import { enableSecurityHub, publishVia } from './inbox.js';
import { type PagerDutyStandIn, startPagerDuty } from './pagerDutyServer.js';

const endpoint = inject('emulatorEndpoint');
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
/** No real waiting between retries. */
const fast = { now: () => Date.now(), sleep: async () => undefined };

describe('the PagerDuty sink (Events API v2)', () => {
  let env: Scenario;
  let factory: ClientFactory;
  let pd: PagerDutyStandIn;
  let secretArn: string;
  let plainSecretArn: string;
  let dlqUrl: string;
  let logs: string[];
  /** Every line any case logged. */
  const allLogs: string[] = [];
  const line = (level: string) => (m: string, f?: Record<string, unknown>) => {
    const text = JSON.stringify({ level, m, ...f });
    logs.push(text);
    allLogs.push(text);
  };
  const logger: SinkLogger = { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
  let critical: RuleResult;
  let high: RuleResult;
  let medium: RuleResult;

  const publish = (results: readonly RuleResult[], settings = {}) =>
    publishVia(factory, results, { pagerDutySecretArn: secretArn, ...settings }, {}, { logger, timer: fast });

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/publish/pagerDuty') });
    await enableSecurityHub(env);
    factory = env.clientFactory();
    const config = emulatorClientConfig(endpoint, env.region);
    const secrets = withAccount(new SecretsManagerClient(config), env.home);
    secretArn =
      (
        await secrets.send(
          new CreateSecretCommand({
            Name: 'replguard/pagerduty',
            SecretString: JSON.stringify({ routingKey: ROUTING_KEY }),
          }),
        )
      ).ARN ?? '';
    plainSecretArn =
      (
        await secrets.send(
          new CreateSecretCommand({ Name: 'replguard/pagerduty-plain', SecretString: ROUTING_KEY }),
        )
      ).ARN ?? '';
    const sqs = withAccount(new SQSClient(config), env.home);
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'pagerduty-dlq' }))).QueueUrl ?? '';
    pd = await startPagerDuty();
    process.env[EVENTS_URL_ENV] = pd.url;
    critical = failing({ accountId: env.home, bucket: 'pd-critical' });
    high = failing({
      accountId: env.home,
      bucket: 'pd-high',
      ruleId: 'tls_only_policy',
      severity: 'HIGH',
      destinationBucket: null,
    });
    medium = failing({
      accountId: env.home,
      bucket: 'pd-medium',
      ruleId: 'replication_time_control',
      severity: 'MEDIUM',
    });
  });

  afterAll(async () => {
    delete process.env[EVENTS_URL_ENV];
    await pd?.close();
  });

  beforeEach(() => {
    logs = [];
    pd.received.length = 0;
    clearRoutingKeys();
  });

  it('triggers one incident per paging finding (CRITICAL and HIGH by default), each accepted by the contract', async () => {
    const summary = await publish([critical, high, medium]);
    expect(summary.sinks.pagerDuty).toBe(2);
    expect(pd.received.map((r) => r.status)).toEqual([202, 202]);
    const triggers = pd.received.map((r) => r.body);
    expect(triggers.map((t) => t.dedup_key).sort()).toEqual(
      [findingIdOf(critical), findingIdOf(high)].sort(),
    );
    const event = triggers.find((t) => t.dedup_key === findingIdOf(critical)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      payload: {
        severity: 'critical',
        source: 'arn:aws:s3:::pd-critical',
        custom_details: { ruleId: 'versioning_destination_enabled', bucket: 'pd-critical' },
      },
    });
    expect(event.payload.summary).toMatch(/^\[CRITICAL\] replication of pd-critical to phi-dr/);
    expect(event.links[0]).toMatchObject({ text: 'Security Hub finding' });
    expect(event.links[0].href).toContain('/securityhub/home?region=us-east-1#/findings?search=Id');
    expect(triggers.find((t) => t.dedup_key === findingIdOf(high))).toMatchObject({
      payload: { severity: 'error' },
    });
    expect([...pd.open.keys()].sort()).toEqual([findingIdOf(critical), findingIdOf(high)].sort());
  });

  it('sends nothing on an identical re-run', async () => {
    await publish([critical, high, medium]);
    expect(pd.received).toEqual([]);
  });

  it('resolves the incident with the same dedup_key once the finding is fixed', async () => {
    const fixed = {
      ...critical,
      status: 'COMPLIANT' as const,
      message: 'Versioning is Enabled.',
      remediation: '',
    };
    await publish([fixed, high, medium]);
    expect(pd.received.map((r) => [r.status, r.body.event_action, r.body.dedup_key])).toEqual([
      [202, 'resolve', findingIdOf(critical)],
    ]);
    expect(pd.open.has(findingIdOf(critical))).toBe(false);
  });

  it('reads a routing key stored as the secret value itself, and honours the paging severities', async () => {
    const lab = failing({
      accountId: env.home,
      bucket: 'pd-lab',
      ruleId: 'replication_time_control',
      severity: 'MEDIUM',
    });
    await publish([lab], { pagerDutySecretArn: plainSecretArn, pagerDutySeverities: ['MEDIUM'] });
    expect(pd.received.map((r) => [r.status, r.body.routing_key, r.body.dedup_key])).toEqual([
      [202, ROUTING_KEY, findingIdOf(lab)],
    ]);
  });

  it('retries on 429 (honouring Retry-After) and on 500, then delivers', async () => {
    pd.script({ status: 429, retryAfter: 1 }, 500);
    const retried = failing({ accountId: env.home, bucket: 'pd-retried' });
    const summary = await publish([retried]);
    expect(pd.received.map((r) => r.status)).toEqual([429, 500, 202]);
    expect(summary).toMatchObject({ failed: [] });
    expect(summary.sinks.pagerDuty).toBe(1);
  });

  it("does not retry a 400, logs PagerDuty's words, and parks the event (without its key) in the dead-letter queue", async () => {
    pd.script(400);
    const rejected = failing({ accountId: env.home, bucket: 'pd-rejected' });
    const summary = await publish([rejected], { pagerDutyDlqUrl: dlqUrl });
    expect(pd.received.map((r) => r.status)).toEqual([400]);
    expect(summary.failed).toEqual([]);
    expect(logs.find((l) => l.includes('PagerDuty rejected the event'))).toContain('scripted answer');
    const sqs = withAccount(new SQSClient(emulatorClientConfig(endpoint, env.region)), env.home);
    const parked =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }))).Messages ??
      [];
    expect(parked).toHaveLength(1);
    const body = JSON.parse(parked[0]?.Body ?? '{}') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body).toMatchObject({
      findingId: findingIdOf(rejected),
      answer: { httpStatus: 400, attempts: 1 },
    });
    expect(body.event.event_action).toBe('trigger');
    expect(parked[0]?.Body).not.toContain(ROUTING_KEY);
  });

  it('reports what still fails after the retries when there is no dead-letter queue', async () => {
    pd.script(503, 503, 503, 503);
    const down = failing({ accountId: env.home, bucket: 'pd-down' });
    const error = await publish([down]).catch((e: unknown) => e);
    expect(pd.received.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(error).toMatchObject({
      code: 'PARTIAL_FAILURE',
      failed: [{ id: `pagerDuty:${findingIdOf(down)}` }],
    });
  });

  it('says what to do when the secret cannot be read, and never logs the routing key', async () => {
    const missing = `${secretArn.slice(0, secretArn.lastIndexOf(':'))}:replguard/nothing-here-AbCdEf`;
    const lost = failing({ accountId: env.home, bucket: 'pd-lost' });
    const error = await publish([lost], { pagerDutySecretArn: missing }).catch((e: unknown) => e);
    expect((error as { failed: { reason: string }[] }).failed[0]?.reason).toContain('check the ARN');
    expect(pd.received).toEqual([]);
  });

  it('keeps the routing key out of every log line of every case above', () => {
    expect(allLogs.length).toBeGreaterThanOrEqual(3); // the 400, the 503s and the unreadable secret were logged
    expect(allLogs.filter((l) => l.includes(ROUTING_KEY))).toEqual([]);
  });
});
