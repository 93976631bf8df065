import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigRuleEvent } from '../../../shared/events/configRule.js';
import { evaluateBucketHandler } from '../../../shared/handlers/evaluateBucket.js';
import { defaultRuntime } from '../../../shared/runtime/deps.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
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

describe('evaluateBucket (the deployed Config rule function, against the emulator)', () => {
  let env: Scenario;
  let hub: SecurityHubClient;
  let box: Inbox;
  let config: ConfigServiceClient;
  let handler: Awaited<ReturnType<typeof loadFunction>>;
  let pair: ReplicationPath;

  /** A Config rule invocation fixture moved onto the scenario's pair, with its own result token. */
  const invocation = (name: FixtureName<'config'>, token: string) =>
    rewrite(loadEvent('config', name), {
      myResultToken: token,
      'phi-to-dr': pair.ruleId,
      'phi-prod': pair.source.name,
      'phi-dr': pair.destination.name,
      'phi-replication': pair.role.name,
      '1111aaaa-0000-4000-8000-000000000001': pair.sourceKey?.keyId ?? '',
      [`arn:aws:kms:us-west-2:222222222222:key/2222bbbb-0000-4000-8000-000000000002`]:
        pair.replicaKey?.arn ?? '',
      '222222222222': pair.destination.account,
      [FIXTURE_ACCOUNT]: env.home,
    });

  /** What AWS Config recorded for the invocations with `token` (the emulator names the rule after the token). */
  const evaluations = async (token: string): Promise<Record<string, EvaluationResult>> => {
    const out = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: token, Limit: 100 }),
    );
    return Object.fromEntries(
      (out.EvaluationResults ?? []).map((e) => [
        e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? '',
        e,
      ]),
    );
  };

  const alerts = async () =>
    (await box.drain()).envelope.map((a) => `${a.body.transition} ${a.attributes.ruleId}`).sort();

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    // As the Config item fixture describes it: SSE-KMS with S3 Bucket Keys at both ends, cross-account, cross-Region, RTC.
    pair = await env.replicatedPair({
      name: 'cfg',
      kms: true,
      bucketKey: true,
      crossAccount: true,
      crossRegion: true,
      rtc: true,
      monitored: true,
    });
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'config-rule');
    config = withAccount(new ConfigServiceClient(emulatorClientConfig(endpoint, env.region)), env.home);
    await functionEnvironment(env, box.topicArn);
    handler = await loadFunction('evaluateBucket');
  });

  it('evaluates the bucket of a change notification and records its Config evaluation with the capture time', async () => {
    const outcome = await handler(
      invocation('change-notification', 'token-change-1'),
      lambdaContext('evaluateBucket'),
    );
    expect(outcome).toMatchObject({ kind: 'change', bucket: pair.source.name, compliance: 'COMPLIANT' });
    const recorded = await evaluations('token-change-1');
    expect(recorded[pair.source.name]).toMatchObject({
      ComplianceType: 'COMPLIANT',
      EvaluationResultIdentifier: { OrderingTimestamp: new Date('2025-03-04T10:15:30.123Z') },
    });
    expect(await alerts()).toEqual([]);
  });

  it('goes NON_COMPLIANT with an alert when the destination versioning is suspended, and back', async () => {
    await env.setVersioning(pair.destination, 'Suspended');
    const outcome = await handler(
      invocation('change-notification', 'token-change-2'),
      lambdaContext('evaluateBucket'),
    );
    expect(outcome).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect((await evaluations('token-change-2'))[pair.source.name]?.Annotation).toMatch(
      /^Failing: versioning_destination_enabled/,
    );
    expect(await alerts()).toEqual(['new versioning_destination_enabled']);
    await env.setVersioning(pair.destination, 'Enabled');
    await handler(invocation('change-notification', 'token-change-3'), lambdaContext('evaluateBucket'));
    expect(await alerts()).toEqual(['resolved versioning_destination_enabled']);
  });

  it('reads an oversized item with GetResourceConfigHistory', async () => {
    const outcome = await handler(
      invocation('oversized-notification', 'token-oversized'),
      lambdaContext('evaluateBucket'),
    );
    expect(outcome).toMatchObject({ kind: 'oversized', bucket: pair.source.name, compliance: 'COMPLIANT' });
    expect((await evaluations('token-oversized'))[pair.source.name]).toMatchObject({
      ComplianceType: 'COMPLIANT',
      EvaluationResultIdentifier: { OrderingTimestamp: new Date('2025-03-04T10:15:30.123Z') },
    });
  });

  it('reports a bucket that left scope as NOT_APPLICABLE and resolves its findings', async () => {
    await env.setVersioning(pair.destination, 'Suspended');
    await handler(invocation('change-notification', 'token-scope-1'), lambdaContext('evaluateBucket'));
    expect(await alerts()).toEqual(['new versioning_destination_enabled']);
    const outcome = await handler(
      invocation('change-notification-left-scope', 'token-scope-2'),
      lambdaContext('evaluateBucket'),
    );
    expect(outcome).toMatchObject({ compliance: 'NOT_APPLICABLE' });
    expect((await evaluations('token-scope-2'))[pair.source.name]?.ComplianceType).toBe('NOT_APPLICABLE');
    expect(await alerts()).toEqual(['resolved versioning_destination_enabled']);
    const open = await hub.send(
      new GetFindingsCommand({
        Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] },
        MaxResults: 100,
      }),
    );
    expect(
      (open.Findings ?? []).filter((f) => f.ProductFields?.['replguard/bucket'] === pair.source.name),
    ).toEqual([]);
    await env.setVersioning(pair.destination, 'Enabled');
  });

  it(
    'evaluates every bucket of the account in a scheduled run, across a continuation when time runs short',
    { timeout: 120_000 },
    async () => {
      const { s3 } = env.clients();
      for (const name of ['sched-plain-a', 'sched-plain-b'])
        await s3.send(new CreateBucketCommand({ Bucket: env.uniqueName(name) }));
      const event = invocation('scheduled-notification', 'token-scheduled');
      // The first invocation has time for about one bucket: it publishes what it did and hands on a cursor.
      // (The emulator cannot run Lambda Invoke without Docker, so that one call is captured instead of sent.)
      const handedOn: Record<string, unknown>[] = [];
      const rt = defaultRuntime('evaluateBucket');
      let collected = 0;
      const first = evaluateBucketHandler({
        ...rt,
        collector: {
          ...rt.collector,
          snapshot: async (...args) => (collected++, rt.collector.snapshot(...args)),
        },
        config: () => ({ ...rt.config(), reserveMs: 60_000, concurrency: 1 }),
        continueWith: async (next) => void handedOn.push(next),
      });
      // 15 minutes until the first bucket is collected, then only the reserve is left.
      const outcome = await first(
        parseConfigRuleEvent(event),
        lambdaContext('evaluateBucket', () => (collected === 0 ? 900_000 : 60_000)) as never,
      );
      expect(outcome).toMatchObject({ kind: 'scheduled', deferred: false, continuation: { hop: 1 } });
      const { evaluated, notApplicable, remaining } = outcome as {
        evaluated: number;
        notApplicable: number;
        remaining: number;
      };
      expect(remaining).toBeGreaterThan(0);
      expect(handedOn).toHaveLength(1);
      // The continuation runs through the deployed function with time to spare and finishes the run.
      const rest = await handler(handedOn[0], lambdaContext('evaluateBucket', 900_000));
      expect(rest).toMatchObject({ kind: 'scheduled', remaining: 0, deferred: false });
      const all = await evaluations('token-scheduled');
      const total =
        evaluated +
        notApplicable +
        (rest as { evaluated: number; notApplicable: number }).evaluated +
        (rest as { notApplicable: number }).notApplicable;
      expect(Object.keys(all)).toHaveLength(total);
      expect(all[pair.source.name]?.ComplianceType).toBe('COMPLIANT');
      expect(all[env.uniqueName('sched-plain-a')]?.ComplianceType).toBe('NOT_APPLICABLE');
      expect(all[pair.destination.name]).toBeUndefined(); // another Region: its own stack evaluates it
    },
  );

  it('rejects invalid rule parameters with a clear error', async () => {
    await expect(
      handler(
        invocation('scheduled-notification-bad-parameters', 'token-bad'),
        lambdaContext('evaluateBucket'),
      ),
    ).rejects.toThrow(
      /Invalid ruleParameters: .*scopeTag must be KEY=VALUE.*requireRtc must be true or false/,
    );
  });
});
