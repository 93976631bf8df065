/**
 * The Organization sweep's task functions, deployed as they run (functions/*.ts), against an emulated
 * Organization: ListShards (sweepShards) over its ACTIVE accounts × Regions; a shard (evaluateBucket with the
 * shard event) evaluating a member's buckets through the member role, publishing, continuing when out of
 * time, and rebuilding its part of the Organization-wide edge index (DynamoDB); an account without the role
 * as one UNKNOWN result, not a failed shard; and Summarise (sweepSummary) totalling a Map run's results as a
 * Distributed Map ResultWriter writes them to S3.
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { dynamoEdgeStore } from '../../../shared/collect/edgeStore.js';
import { parseEvaluateBucketEvent } from '../../../shared/events/sweep.js';
import { evaluateBucketHandler } from '../../../shared/handlers/evaluateBucket.js';
import { configFromEnv } from '../../../shared/runtime/config.js';
import { makeRuntime } from '../../../shared/runtime/deps.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { lambdaContext } from '../../fixtures/events/index.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { createEdgesTable, dynamoClient } from '../../scenarios/builder/edges.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const TABLE = 'replguard-test-sweep-edges';
const RESULTS = 'replguard-test-sweep-results';

type Handler = Awaited<ReturnType<typeof loadFunction>>;
type Outcome = Record<string, unknown> & { next?: { replguardSweep: Record<string, unknown> } };

const load = async (path: string): Promise<Handler> => ((await import(path)) as { handler: Handler }).handler;

describe('the Organization sweep task functions (against the emulator)', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let box: Inbox;
  let evaluate: Handler;
  let listShards: Handler;
  let summarise: Handler;
  let withRole = '';
  let withoutRole = '';
  const outputs: Outcome[] = [];
  const research: string[] = [];

  const shardEvent = (accountId: string, region = env.region) => ({
    replguardSweep: { version: 1, accountId, region },
  });

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    const org = withAccount(new OrganizationsClient(emulatorClientConfig(endpoint)), env.home);
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const name of ['sweep-research', 'sweep-sandbox'])
      await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.org` }));
    const accounts = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
    withRole = accounts.find((a) => a.Name === 'sweep-research')?.Id ?? '';
    withoutRole = accounts.find((a) => a.Name === 'sweep-sandbox')?.Id ?? '';
    pair = await env.replicatedPair({ name: 'sweep-main', ...HEALTHY });
    await env.readOnlyRole(withRole);
    for (const suffix of ['a', 'b', 'c']) {
      const bucket = await env.bucket({
        name: `sweep-research-${suffix}`,
        account: withRole,
        tags: { DataClassification: 'PHI' },
      });
      research.push(bucket.name);
    }
    // Findings are imported in the account that owns the bucket (through the member role): its hub is on.
    await withAccount(new SecurityHubClient(emulatorClientConfig(endpoint, env.region)), withRole).send(
      new EnableSecurityHubCommand({ EnableDefaultStandards: false }),
    );
    await enableSecurityHub(env);
    box = await inbox(env, 'sweep');
    await createEdgesTable(dynamoClient(endpoint, env.home, env.region), TABLE);
    await functionEnvironment(env, box.topicArn, {
      REPLGUARD_EDGES_TABLE: TABLE,
      REPLGUARD_SWEEP_REGIONS: `${env.region},eu-west-1`,
      REPLGUARD_REQUIRE_CROSS_REGION: 'false',
    });
    evaluate = await loadFunction('evaluateBucket');
    listShards = await load('../../../functions/sweepShards.js');
    summarise = await load('../../../functions/sweepSummary.js');
  }, 120_000);

  describe('ListShards (sweepShards)', () => {
    it("shards every ACTIVE account of the Organization × the stack's SweepRegions, in a stable order", async () => {
      const list = (await listShards({}, lambdaContext('sweepShards'))) as {
        shards: { accountId: string; region: string }[];
        accounts: number;
        shardCount: number;
      };
      const accounts = [env.home, withRole, withoutRole].sort();
      expect(list.accounts).toBe(3);
      expect(list.shardCount).toBe(6);
      expect(list.shards).toEqual(
        accounts.flatMap((accountId) =>
          ['eu-west-1', env.region].sort().map((region) => ({ accountId, region })),
        ),
      );
    });

    it("takes an execution's Regions and accounts, keeping only ACTIVE accounts", async () => {
      const list = (await listShards(
        { regions: ['us-west-2'], accounts: [withRole, '999999999999'] },
        lambdaContext('sweepShards'),
      )) as { shards: unknown[] };
      expect(list.shards).toEqual([{ accountId: withRole, region: 'us-west-2' }]);
    });

    it('rejects an input that is not a list of Regions, naming the field', async () => {
      await expect(listShards({ regions: ['Europe'] }, lambdaContext('sweepShards'))).rejects.toThrow(
        /regions\.0: must be an AWS Region/,
      );
    });
  });

  describe('a shard (evaluateBucket with the shard event)', () => {
    it("evaluates a member's buckets through the member role and publishes them", async () => {
      const out = (await evaluate(shardEvent(withRole), lambdaContext('evaluateBucket', 900_000))) as Outcome;
      outputs.push(out);
      expect(out).toMatchObject({
        kind: 'sweep',
        accountId: withRole,
        region: env.region,
        reachable: true,
        evaluated: 3,
        failed: 0,
        remaining: 0,
        invocations: 1,
      });
      expect(out.next).toBeUndefined();
      const alerts = (await box.drain()).envelope.filter(
        (a) => a.attributes.ruleId === 'replication_configured',
      );
      expect(alerts.map((a) => a.body.finding?.bucket).sort()).toEqual([...research].sort());
      const memberHub = withAccount(
        new SecurityHubClient(emulatorClientConfig(endpoint, env.region)),
        withRole,
      );
      const imported = (await memberHub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
      const failing = imported.filter((f) => f.GeneratorId === 'replguard/replication_configured');
      expect(failing.map((f) => f.AwsAccountId)).toEqual([withRole, withRole, withRole]);
      expect(JSON.stringify(out).length).toBeLessThan(1_000);
    });

    it('rebuilds its part of the Organization-wide edge index (DynamoDB)', async () => {
      const out = (await evaluate(shardEvent(env.home), lambdaContext('evaluateBucket', 900_000))) as Outcome;
      outputs.push(out);
      expect(out).toMatchObject({ reachable: true, edges: { written: 1, removed: 0 } });
      const store = dynamoEdgeStore(new ClientFactory({ region: env.region }), TABLE);
      expect(await store.sourcesOf({ kind: 'destination', bucket: pair.destination.name })).toEqual([
        { bucket: pair.source.name, accountId: env.home, region: env.region },
      ]);
    });

    it('continues from a cursor when it runs out of time, losing no bucket', async () => {
      // Middy reads the remaining time once to arm its own timeout, then the deadline before each bucket.
      let calls = 0;
      const shortOfTime = () => (calls++ < 2 ? 900_000 : 0);
      const first = (await evaluate(
        shardEvent(withRole),
        lambdaContext('evaluateBucket', shortOfTime),
      )) as Outcome;
      expect(first).toMatchObject({ evaluated: 1, remaining: 2, invocations: 1 });
      expect(first.next?.replguardSweep).toMatchObject({
        startAfter: [...research].sort()[0],
        carried: { evaluated: 1 },
      });
      const second = (await evaluate(first.next, lambdaContext('evaluateBucket', 900_000))) as Outcome;
      expect(second).toMatchObject({ evaluated: 3, remaining: 0, invocations: 2 });
      expect(second.next).toBeUndefined();
      expect(second.edgesSkipped).toMatch(/continuation/);
    });

    // moto lets anyone assume any role, even one that does not exist; the scenario's factory refuses AssumeRole
    // as AWS does (no role, or a trust policy without ReplGuard's account), so this shard runs the same handler
    // over that factory.
    const unreachableShard = async (securityHub: boolean) => {
      const config = configFromEnv(process.env);
      const rt = makeRuntime({
        name: 'evaluateBucket',
        factory: () => env.clientFactory(),
        config: () => ({ ...config, sinks: { ...config.sinks, securityHub } }),
      });
      return (await evaluateBucketHandler(rt)(
        parseEvaluateBucketEvent(shardEvent(withoutRole)),
        lambdaContext('evaluateBucket', 900_000) as never,
      )) as Outcome & { unreachable?: { reason: string; published: boolean } };
    };

    it('turns an account without the member role into its UNKNOWN result, not a failed shard', async () => {
      await box.drain();
      const out = await unreachableShard(false);
      expect(out).toMatchObject({ kind: 'sweep', reachable: false, evaluated: 0, remaining: 0 });
      expect(out.unreachable).toEqual({
        reason: expect.stringContaining(
          `Could not assume arn:aws:iam::${withoutRole}:role/ReplGuardReadOnly`,
        ),
        published: true,
      });
      expect(out.edgesSkipped).toMatch(/could not be entered/);
      const alerts = (await box.drain()).envelope;
      expect(alerts.map((a) => [a.attributes.ruleId, a.body.finding?.status])).toEqual([
        ['replication_configured', 'UNKNOWN'],
      ]);
      expect(JSON.stringify(alerts[0]?.body)).toContain('infra/member-account.yml');
    });

    it("still succeeds when that result cannot be imported in the account's own Security Hub", async () => {
      const out = await unreachableShard(true);
      outputs.push(out);
      expect(out).toMatchObject({ reachable: false, unreachable: { published: false } });
    });

    it('rejects a malformed shard event naming the field', async () => {
      await expect(
        evaluate(
          { replguardSweep: { version: 1, accountId: '12345', region: env.region } },
          lambdaContext('evaluateBucket'),
        ),
      ).rejects.toThrow(/accountId: must be a 12-digit account id/);
    });
  });

  describe('Summarise (sweepSummary)', () => {
    it("totals the Map run's results as its ResultWriter wrote them to S3", async () => {
      const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint, env.region)), env.home);
      await s3.send(new CreateBucketCommand({ Bucket: RESULTS }));
      const prefix = 'sweeps/run-1';
      const child = (input: unknown, output?: unknown, error?: string) => ({
        ExecutionArn: `arn:aws:states:${env.region}:${env.home}:execution:replguard-test-sweep/run-1:${Math.random()}`,
        Input: JSON.stringify(input),
        InputDetails: { Included: true },
        Name: 'child',
        ...(output ? { Output: JSON.stringify(output), OutputDetails: { Included: true } } : {}),
        ...(error ? { Error: error, Cause: 'Task timed out' } : {}),
        Status: error ? 'FAILED' : 'SUCCEEDED',
      });
      const files = {
        [`${prefix}/SUCCEEDED_0.json`]: outputs.map((o) => child(shardEvent(String(o.accountId)), o)),
        [`${prefix}/FAILED_0.json`]: [child(shardEvent(withRole, 'eu-west-1'), undefined, 'States.Timeout')],
      };
      for (const [Key, body] of Object.entries(files))
        await s3.send(new PutObjectCommand({ Bucket: RESULTS, Key, Body: JSON.stringify(body) }));
      const manifest = {
        DestinationBucket: RESULTS,
        MapRunArn: `arn:aws:states:${env.region}:${env.home}:mapRun:replguard-test-sweep/run-1:shards`,
        ResultFiles: {
          FAILED: [{ Key: `${prefix}/FAILED_0.json`, Size: 1 }],
          PENDING: [],
          SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json`, Size: 1 }],
        },
      };
      await s3.send(
        new PutObjectCommand({
          Bucket: RESULTS,
          Key: `${prefix}/manifest.json`,
          Body: JSON.stringify(manifest),
        }),
      );
      const summary = await summarise(
        {
          shards: 5,
          accounts: 3,
          results: {
            MapRunArn: manifest.MapRunArn,
            ResultWriterDetails: { Bucket: RESULTS, Key: `${prefix}/manifest.json` },
          },
        },
        lambdaContext('sweepSummary'),
      );
      expect(summary).toEqual({
        version: 1,
        shards: 5,
        shardsSucceeded: 3,
        shardsFailed: 1,
        shardsNotRun: 1,
        bucketsEvaluated: 3 + Number(outputs[1]?.evaluated),
        bucketsNotApplicable: outputs.reduce((t, o) => t + Number(o.notApplicable), 0),
        bucketsFailed: 0,
        accountsUnreachable: 1,
        unreachableAccounts: [withoutRole],
        failedShards: [{ accountId: withRole, region: 'eu-west-1', error: 'States.Timeout' }],
        edgesWritten: 1,
        edgesRemoved: 0,
      });
    });

    it('names the missing permission when the results cannot be read', async () => {
      await expect(
        summarise(
          {
            shards: 1,
            accounts: 1,
            results: { ResultWriterDetails: { Bucket: RESULTS, Key: 'sweeps/none/manifest.json' } },
          },
          lambdaContext('sweepSummary'),
        ),
      ).rejects.toThrow(/grant s3:GetObject on the sweep results bucket/);
    });
  });
});
