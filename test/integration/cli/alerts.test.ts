/**
 * What on-call runs: `replguard alert test` through the real sinks (SNS in the emulator, PagerDuty's stand-in
 * on loopback), and risk exceptions from an SSM parameter applied by `replguard scan --publish`.
 */
import { GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENTS_URL_ENV } from '../../../shared/publish/pagerDutyClient.js';
import { clearRoutingKeys } from '../../../shared/publish/routingKey.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { replguardCli } from './replguard.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { type PagerDutyStandIn, startPagerDuty } from '../publish/pagerDutyServer.js';

const endpoint = inject('emulatorEndpoint');
const ROUTING_KEY = 'ALERTTESTKEY0123456789abcdefABCD';

describe('replguard alert test, and risk exceptions', () => {
  let env: Scenario;
  let box: Inbox;
  let pd: PagerDutyStandIn;
  let secretArn: string;
  let hub: SecurityHubClient;

  const replguard = replguardCli(endpoint, () => env.home);

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/alerts') });
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'oncall');
    const secrets = withAccount(
      new SecretsManagerClient(emulatorClientConfig(endpoint, env.region)),
      env.home,
    );
    secretArn =
      (await secrets.send(new CreateSecretCommand({ Name: 'oncall/pagerduty', SecretString: ROUTING_KEY })))
        .ARN ?? '';
    pd = await startPagerDuty();
    process.env[EVENTS_URL_ENV] = pd.url;
  });

  afterAll(async () => {
    delete process.env[EVENTS_URL_ENV];
    await pd?.close();
  });

  describe('replguard alert test', () => {
    it('sends a labelled test finding through SNS and PagerDuty, resolves it, and exits 0 when both accepted both', async () => {
      const { code, stdout } = await replguard([
        'alert',
        'test',
        '--topic-arn',
        box.topicArn,
        '--pagerduty-secret-arn',
        secretArn,
      ]);
      expect(code).toBe(0);
      expect(stdout).toContain('through: snsAlert, pagerDuty');
      expect(stdout).toMatch(/trigger\s+pagerDuty\s+accepted trigger: HTTP 202: success: Event processed/);
      expect(stdout).toMatch(/resolve\s+pagerDuty\s+accepted resolve: HTTP 202/);
      expect(stdout).toContain('Every sink accepted the test alert and its resolution.');
      const [trigger, resolve] = pd.received.map((r) => r.body);
      expect(trigger).toMatchObject({ event_action: 'trigger', payload: { severity: 'critical' } });
      expect(String((trigger?.payload as { summary: string }).summary)).toContain('TEST ALERT');
      expect(resolve).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'resolve',
        dedup_key: trigger?.dedup_key,
      });
      const { envelope } = await box.drain();
      expect(envelope.map((m) => m.body.transition)).toEqual(['new', 'resolved']);
      expect(envelope[0]?.subject).toBe('[CRITICAL] replguard-test-alert: TEST ALERT, not a real finding');
    });

    it("exits 1 and prints PagerDuty's words when it refuses", async () => {
      clearRoutingKeys();
      pd.script(400);
      const { code, stdout } = await replguard(['alert', 'test', '--pagerduty-secret-arn', secretArn]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/trigger\s+pagerDuty\s+REFUSED\s+trigger: HTTP 400: error: scripted answer/);
      expect(stdout).toContain('Some sink did not accept');
    });

    it('says which sinks it can test when none is configured (exit 2)', async () => {
      const { code, stderr } = await replguard(['alert', 'test']);
      expect(code).toBe(2);
      expect(stderr).toContain(
        'no sink to test: give --topic-arn, --chat-topic-arn, --pagerduty-secret-arn or --security-hub',
      );
    });
  });

  describe('risk exceptions (SSM parameter)', () => {
    const PARAMETER = '/replguard/exceptions';
    let pair: ReplicationPath;
    const ssm = () => withAccount(new SSMClient(emulatorClientConfig(endpoint, env.region)), env.home);
    const except = (
      expires: string,
      justification = 'DR account migration planned for Q1 (risk review RR-42)',
    ) =>
      ssm().send(
        new PutParameterCommand({
          Name: PARAMETER,
          Type: 'String',
          Overwrite: true,
          Value: JSON.stringify({
            version: 1,
            exceptions: [
              {
                bucket: pair.source.name,
                ruleId: 'versioning_destination_enabled',
                justification,
                owner: 'ciso@example.org',
                expires,
              },
            ],
          }),
        }),
      );
    const scanPublish = () =>
      replguard([
        'scan',
        '--bucket',
        pair.source.name,
        '--format',
        'json',
        '--publish',
        '--topic-arn',
        box.topicArn,
        '--exceptions-parameter',
        PARAMETER,
      ]);
    const finding = async () =>
      ((await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? []).find(
        (f) =>
          f.GeneratorId === 'replguard/versioning_destination_enabled' &&
          f.ProductFields?.['replguard/bucket'] === pair.source.name,
      );

    beforeAll(async () => {
      pair = await env.replicatedPair({ name: 'excepted', ...HEALTHY, destinationVersioning: 'Suspended' });
      await box.drain();
    });

    it('publishes an excepted finding SUPPRESSED with the justification in its note, pages no one, and does not fail the scan', async () => {
      await except('2099-12-31');
      const { code, stdout } = await scanPublish();
      const result = (JSON.parse(stdout) as { results: Record<string, unknown>[] }).results.find(
        (r) => r.ruleId === 'versioning_destination_enabled',
      );
      expect(result).toMatchObject({
        status: 'NON_COMPLIANT',
        exception: { status: 'active', owner: 'ciso@example.org', expires: '2099-12-31' },
      });
      expect(code).toBe(0);
      expect((await box.drain()).envelope).toEqual([]);
      expect(await finding()).toMatchObject({
        RecordState: 'ACTIVE',
        Compliance: { Status: 'FAILED' },
        Workflow: { Status: 'SUPPRESSED' },
        Note: {
          Text: expect.stringContaining(
            'Risk accepted until 2099-12-31 by ciso@example.org: DR account migration',
          ),
        },
      });
    });

    it('pages once the exception has expired, unsuppressing the finding', async () => {
      await except('2020-01-31');
      const { code, stdout } = await scanPublish();
      expect(code).toBe(1);
      expect(stdout).toContain('"status": "expired"');
      const alerts = (await box.drain()).envelope;
      expect(alerts.map((a) => [a.body.transition, a.attributes.ruleId])).toEqual([
        ['new', 'versioning_destination_enabled'],
      ]);
      expect(await finding()).toMatchObject({ Workflow: { Status: 'NEW' } });
    });

    it('reports a malformed exception instead of ignoring it', async () => {
      await except('not-a-date');
      const { code, stderr } = await scanPublish();
      expect(code).toBe(1);
      expect(stderr).toContain(
        `risk exception not applied: SSM parameter ${PARAMETER} exception #1: expires must be a date, YYYY-MM-DD`,
      );
    });
  });

  describe('replguard scan --publish with PagerDuty', () => {
    let pair: ReplicationPath;
    const scan = (extra: string[]) =>
      replguard(['scan', '--bucket', pair.source.name, '--publish', '--topic-arn', box.topicArn, ...extra]);

    beforeAll(async () => {
      pair = await env.replicatedPair({ name: 'paged', ...HEALTHY, destinationVersioning: 'Suspended' });
      await box.drain();
      pd.received.length = 0;
      clearRoutingKeys();
    });

    it('pages for each paging finding, as the functions do (--pagerduty-secret-arn)', async () => {
      const { code, stderr } = await scan(['--pagerduty-secret-arn', secretArn]);
      expect(code).toBe(1);
      expect(stderr).toContain(`sent to ${box.topicArn}, PagerDuty`);
      const triggers = pd.received.splice(0).map((r) => [r.status, r.body.event_action, r.body.dedup_key]);
      const paged = (await box.drain()).envelope
        .filter((a) => ['CRITICAL', 'HIGH'].includes(a.attributes.severity ?? ''))
        .map((a) => [202, 'trigger', (a.body.finding as { id: string }).id]);
      expect(paged.length).toBeGreaterThan(0);
      expect(triggers.sort()).toEqual(paged.sort());
    });

    it('reads the secret from REPLGUARD_PAGERDUTY_SECRET_ARN and resolves after the fix', async () => {
      await env.setVersioning(pair.destination, 'Enabled');
      process.env.REPLGUARD_PAGERDUTY_SECRET_ARN = secretArn;
      try {
        await scan([]);
      } finally {
        delete process.env.REPLGUARD_PAGERDUTY_SECRET_ARN;
      }
      const resolved = (await box.drain()).envelope
        .filter((a) => a.body.transition === 'resolved')
        .map((a) => (a.body.finding as { id: string }).id);
      const fixed = resolved.filter((id) => id.startsWith('replguard/versioning_destination_enabled/'));
      expect(fixed).toHaveLength(1);
      const resolves = pd.received
        .splice(0)
        .filter((r) => r.body.event_action === 'resolve')
        .map((r) => [r.status, r.body.dedup_key]);
      expect(resolves).toContainEqual([202, fixed[0]]);
    });
  });
});
