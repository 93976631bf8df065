/**
 * Recovering what replication lost, as on-call runs it: objects FAILED while the destination's versioning was
 * suspended; `replguard backfill` refuses while that still blocks replication, prints the CreateJob request as
 * a dry run without a terminal, and once the path is fixed starts the Batch Replication job, follows it and
 * summarises its completion report. The emulator replicates and runs the job (patches `s3-replication`,
 * `s3control-jobs`).
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { replguardCli } from './replguard.js';
import { drainReplication } from '../../emulator/server.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { scenario, type BucketHandle, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');
const KEYS = ['2026/12/03/mrn-0042.pdf', '2026/12/03/mrn-0043.pdf', '2026/12/03/mrn-0044.pdf'];

const drain = () => drainReplication(endpoint);

describe('replguard backfill', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let reports: BucketHandle;

  const replguard = replguardCli(endpoint, () => env.home);

  const backlog = async () => {
    const { stdout } = await replguard(['scan', '--bucket', pair.source.name, '--format', 'json']);
    return (
      JSON.parse(stdout) as { results: { ruleId: string; status: string; message: string }[] }
    ).results.find((r) => r.ruleId === 'replication_backlog_objects');
  };

  const statusOf = async (key: string) =>
    (
      await env
        .clients(pair.source.account)
        .s3.send(new HeadObjectCommand({ Bucket: pair.source.name, Key: key }))
    ).ReplicationStatus;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/backfill') });
    [pair, reports] = await Promise.all([
      env.replicatedPair({ name: 'backfill', ...HEALTHY, destinationVersioning: 'Suspended' }),
      env.bucket({ name: env.uniqueName('backfill-reports') }),
    ]);
    const s3 = env.clients(pair.source.account).s3;
    for (const key of KEYS)
      await s3.send(new PutObjectCommand({ Bucket: pair.source.name, Key: key, Body: 'not really PHI' }));
    await drain();
  });

  it('finds the FAILED objects, counted exactly, and says how to recover them', async () => {
    expect(await Promise.all(KEYS.map(statusOf))).toEqual(['FAILED', 'FAILED', 'FAILED']);
    const result = await backlog();
    expect(result?.status).toBe('NON_COMPLIANT');
    expect(result?.message).toMatch(/3 FAILED object version\(s\) \(exact: all \d+ versions examined\)/);
    for (const key of KEYS) expect(result?.message).not.toContain(key);
  });

  it('refuses while a rule that stops replication fails, naming it, and starts nothing', async () => {
    const { code, stderr, stdout } = await replguard(['backfill', '--bucket', pair.source.name, '--yes']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/refusing to start: .*\n {2}versioning_destination_enabled NON_COMPLIANT/);
    expect(stdout).not.toContain('started');
  });

  it('prints the CreateJob request as a dry run without a terminal and without --yes', async () => {
    await env.setVersioning(pair.destination, 'Enabled');
    const { code, stdout, stderr } = await replguard(['backfill', '--bucket', pair.source.name]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      AccountId: pair.source.account,
      Operation: { S3ReplicateObject: {} },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          SourceBucket: pair.source.arn,
          Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ['FAILED', 'NONE'] },
        },
      },
    });
    expect(stderr).toContain('dry run');
    expect(await statusOf(KEYS[0] as string)).toBe('FAILED');
  });

  it('starts the job once the path works, follows it to the end, and summarises the completion report', async () => {
    const { code, stdout, stderr } = await replguard([
      'backfill',
      '--bucket',
      pair.source.name,
      '--statuses',
      'FAILED',
      '--report-bucket',
      reports.name,
      '--role-arn',
      `arn:aws:iam::${pair.source.account}:role/ReplGuardBatchReplication`,
      '--yes',
      '--poll-seconds',
      '0.2',
    ]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout).toMatch(/^Job \S+ started \(S3 Batch Replication/);
    expect(stdout).toMatch(/: Complete\. 3 of 3 objects replicated, 0 failed\./);
    expect(stdout).toMatch(
      /Completion report s3:\/\/\S+\/replguard-backfill\/job-\S+\/manifest\.json: 0 failed task\(s\)\./,
    );
    expect(stderr).toMatch(/\[#{30}\] 100% 3\/3 Complete/);
    for (const key of KEYS) expect(stdout + stderr).not.toContain(key);
    await drain();
    expect(await Promise.all(KEYS.map(statusOf))).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const replica = await env
      .clients(pair.destination.account)
      .s3.send(new HeadObjectCommand({ Bucket: pair.destination.name, Key: KEYS[0] }));
    expect(replica.ReplicationStatus).toBe('REPLICA');
    expect((await backlog())?.status).toBe('COMPLIANT');
  });

  it('answers bad input with what to do', async () => {
    expect((await replguard(['backfill'])).stderr).toMatch(/backfill needs --bucket NAME/);
    expect((await replguard(['backfill', '--bucket', 'b', '--statuses', 'LOST'])).stderr).toMatch(
      /--statuses takes .*not LOST/,
    );
    const unknownRule = await replguard([
      'backfill',
      '--bucket',
      pair.source.name,
      '--rule',
      'nope',
      '--dry-run',
    ]);
    expect(unknownRule).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/has no replication rule "nope"/),
    });
  });
});
