/**
 * Automatic backfill through the deployed functions (stack parameter AutoBackfillRoleArn): objects FAIL while the
 * destination is unversioned and S3 reports the failures; once the cause is fixed, the periodic evaluation
 * resolves the runtime incident, starts one S3 Batch Replication job for the FAILED objects, and the resolve alert
 * names it. The emulator replicates and runs the job (patches `s3-replication`, `s3control-jobs`).
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { drainReplication } from '../../emulator/server.js';
import { scenario, type BucketHandle, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import {
  lambdaContext,
  replicationRecord,
  s3Message,
  sqsEvent,
  sqsRecord,
} from '../../fixtures/events/index.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction, periodicRun as runPeriodic } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const KEYS = ['labs/a.json', 'labs/b.json'];

type Handler = Awaited<ReturnType<typeof loadFunction>>;

describe('automatic backfill when a replication failure resolves', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let reports: BucketHandle;
  let alerts: Inbox;
  let onFailure: Handler;
  let evaluate: Handler;
  let control: S3ControlClient;

  const jobs = async () => (await control.send(new ListJobsCommand({ AccountId: env.home }))).Jobs ?? [];

  const periodicRun = (token: string) => runPeriodic(evaluate, env, token);

  const statusOf = async (key: string) =>
    (await env.clients().s3.send(new HeadObjectCommand({ Bucket: pair.source.name, Key: key })))
      .ReplicationStatus;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    [pair, reports] = await Promise.all([
      env.replicatedPair({ name: 'autofill', metrics: true, destinationVersioning: 'Suspended' }),
      env.bucket({ name: env.uniqueName('autofill-reports') }),
    ]);
    await enableSecurityHub(env);
    alerts = await inbox(env, 'autofill');
    control = withAccount(
      new S3ControlClient({
        ...emulatorClientConfig(endpoint),
        endpointProvider: () => ({ url: new URL(endpoint) }),
      }),
      env.home,
    );
    await functionEnvironment(env, alerts.topicArn, {
      REPLGUARD_AUTO_BACKFILL_ROLE_ARN: `arn:aws:iam::${env.home}:role/ReplGuardBatchReplication`,
      REPLGUARD_BACKFILL_REPORT_BUCKET: reports.name,
      REPLGUARD_EXCEPTIONS_PARAMETER: 'off',
    });
    onFailure = await loadFunction('onReplicationFailure');
    evaluate = await loadFunction('evaluateBucket');
    for (const key of KEYS)
      await env.clients().s3.send(new PutObjectCommand({ Bucket: pair.source.name, Key: key, Body: '{}' }));
    await drainReplication(endpoint);
  });

  it('starts nothing while the failures go on', async () => {
    expect(await Promise.all(KEYS.map(statusOf))).toEqual(['FAILED', 'FAILED']);
    const records = KEYS.map((key, i) =>
      sqsRecord(
        `fail-${i}`,
        s3Message([
          replicationRecord({
            bucket: pair.source.name,
            destinationBucket: pair.destination.name,
            ruleId: pair.ruleId,
            failureReason: 'DstBucketUnversioned',
            key,
            // two hours ago: quiet for longer than RuntimeQuietMinutes by the time the cause is fixed
            eventTime: new Date(Date.now() - 2 * 3600_000).toISOString(),
          }),
        ]),
      ),
    );
    const out = (await onFailure(sqsEvent(records), lambdaContext('onReplicationFailure'))) as {
      batchItemFailures: unknown[];
    };
    expect(out.batchItemFailures).toEqual([]);
    const opened = (await alerts.drain()).envelope.filter(
      (a) => a.attributes.ruleId === 'replication_operations_failing',
    );
    expect(opened.map((a) => a.body.transition)).toEqual(['new']);
    expect(await jobs()).toEqual([]);
  });

  it(
    'starts one Batch Replication job when the incident resolves, named in the resolve alert',
    { timeout: 120_000 },
    async () => {
      await env.setVersioning(pair.destination, 'Enabled');
      await periodicRun('autofill-fixed');
      const resolved = (await alerts.drain()).envelope.find(
        (a) => a.attributes.ruleId === 'replication_operations_failing' && a.body.transition === 'resolved',
      );
      const [job] = await jobs();
      expect(job?.JobId).toBeTruthy();
      expect(JSON.stringify(resolved?.body)).toContain(`S3 Batch Replication job ${job?.JobId}`);
      expect(resolved?.body.finding).toMatchObject({ details: { backfillJobId: job?.JobId } });
      for (const key of KEYS) expect(JSON.stringify(resolved?.body)).not.toContain(key);
      await drainReplication(endpoint);
      expect(await Promise.all(KEYS.map(statusOf))).toEqual(['COMPLETED', 'COMPLETED']);
    },
  );

  it('starts no second job on the next run', { timeout: 120_000 }, async () => {
    await periodicRun('autofill-again');
    expect(await jobs()).toHaveLength(1);
  });
});
