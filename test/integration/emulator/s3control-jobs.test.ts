/**
 * Patch `s3control-jobs`: S3 Batch Replication through S3 Control CreateJob / DescribeJob / ListJobs /
 * UpdateJobStatus (moto 5.2.5 has no Batch Operations jobs). A job with `S3ReplicateObject` and a generated
 * manifest replicates the source versions its replication configuration covers, chosen by replication status
 * (NONE = never replicated), counts its tasks, and writes S3's completion report
 * (`{Prefix}/job-{JobId}/manifest.json` + `results/<sha1>.csv`) to the report bucket.
 *
 * The SDK's S3ControlClient puts the account into the host (`{AccountId}.127.0.0.1`, not a valid URL), so
 * against the emulator it gets an `endpointProvider` that returns the emulator's endpoint as it is.
 */
import { createHash } from 'node:crypto';
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  DescribeJobCommand,
  type JobDescriptor,
  ListJobsCommand,
  S3ControlClient,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { type Emulator, startEmulator } from '../../emulator/server.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/s3control-jobs');
const bucket = (name: string) => `${name}-${account}`;
const ROLE = `arn:aws:iam::${account}:role/replication`;
const BATCH_ROLE = `arn:aws:iam::${account}:role/batch-replication`;
const SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

/** S3 Control against the emulator: the endpoint as it is, without the `{AccountId}.` host prefix. */
const controlClient = (at: string) =>
  withAccount(
    new S3ControlClient({ ...emulatorClientConfig(at), endpointProvider: () => ({ url: new URL(at) }) }),
    account,
  );
const control = controlClient(endpoint);
const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);

const drain = async (at = endpoint) => {
  const response = await fetch(`${at}/replguard/replication/drain?timeoutMs=20000`);
  expect(await response.json()).toStrictEqual({ Drained: true });
};

const createBucket = async (name: string, versioned = true) => {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned) await versioning(name);
};
const versioning = (name: string) =>
  s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));

const replicateTo = (source: string, destination: string) =>
  s3.send(
    new PutBucketReplicationCommand({
      Bucket: source,
      ReplicationConfiguration: {
        Role: ROLE,
        Rules: [
          {
            ID: 'phi',
            Priority: 1,
            Status: 'Enabled',
            Filter: { Prefix: 'phi/' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            Destination: { Bucket: `arn:aws:s3:::${destination}` },
          },
        ],
      },
    }),
  );

const put = async (name: string, key: string) =>
  (await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: `body of ${key}` }))).VersionId ?? '';

const status = async (name: string, key: string) =>
  (await s3.send(new HeadObjectCommand({ Bucket: name, Key: key }))).ReplicationStatus;

const text = async (name: string, key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: name, Key: key }))).Body?.transformToString() ?? '';

const batchReplication = (
  source: string,
  reports: string,
  token: string,
  overrides: Partial<CreateJobCommandInput> = {},
): CreateJobCommandInput => ({
  AccountId: account,
  ConfirmationRequired: false,
  Operation: { S3ReplicateObject: {} },
  Priority: 10,
  RoleArn: BATCH_ROLE,
  ClientRequestToken: token,
  Report: {
    Bucket: `arn:aws:s3:::${reports}`,
    Prefix: 'batch-reports',
    Format: 'Report_CSV_20180820',
    Enabled: true,
    ReportScope: 'AllTasks',
  },
  ManifestGenerator: {
    S3JobManifestGenerator: {
      SourceBucket: `arn:aws:s3:::${source}`,
      EnableManifestOutput: false,
      Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ['NONE', 'FAILED'] },
    },
  },
  ...overrides,
});

/** DescribeJob until the job reaches a terminal status. */
const finished = async (jobId: string, client = control, at = endpoint): Promise<JobDescriptor> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    await drain(at);
    const { Job } = await client.send(new DescribeJobCommand({ AccountId: account, JobId: jobId }));
    if (Job?.Status && ['Complete', 'Failed', 'Cancelled'].includes(Job.Status)) return Job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
};

interface ReportManifest {
  Format: string;
  ReportCreationDate: string;
  Results: { TaskExecutionStatus: string; Bucket: string; MD5Checksum: string; Key: string }[];
  ReportSchema: string;
}

describe('S3 Batch Replication jobs (emulator)', () => {
  const source = bucket('batch-src');
  const replicas = bucket('batch-dr');
  const reports = bucket('batch-reports');
  const versions: Record<string, string> = {};
  let jobId = '';

  beforeAll(async () => {
    await createBucket(source);
    await createBucket(replicas, false); // not versioned yet: live replication fails
    await createBucket(reports, false);
    versions['phi/before-1.txt'] = await put(source, 'phi/before-1.txt'); // before the rule: NONE
    versions['phi/before-2.txt'] = await put(source, 'phi/before-2.txt');
    await replicateTo(source, replicas);
    versions['phi/failed.txt'] = await put(source, 'phi/failed.txt');
    await drain();
    await versioning(replicas); // the fix; from now on live replication works
    versions['phi/live.txt'] = await put(source, 'phi/live.txt');
    await put(source, 'public/outside-the-rule.txt');
    await drain();
  });

  it('starts with the statuses Batch Replication selects on: NONE (no status), FAILED, COMPLETED', async () => {
    expect(await status(source, 'phi/before-1.txt')).toBeUndefined();
    expect(await status(source, 'phi/failed.txt')).toBe('FAILED');
    expect(await status(source, 'phi/live.txt')).toBe('COMPLETED');
  });

  it('replicates the NONE and FAILED versions the rule covers and reports Complete with the task counts', async () => {
    ({ JobId: jobId = '' } = await control.send(
      new CreateJobCommand(batchReplication(source, reports, 'backfill-1')),
    ));
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await finished(jobId);
    expect(job).toMatchObject({
      JobId: jobId,
      JobArn: `arn:aws:s3:us-east-1:${account}:job/${jobId}`,
      Status: 'Complete',
      Priority: 10,
      RoleArn: BATCH_ROLE,
      ConfirmationRequired: false,
      Operation: { S3ReplicateObject: {} },
      ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3, NumberOfTasksFailed: 0 },
      Report: {
        Bucket: `arn:aws:s3:::${reports}`,
        Prefix: 'batch-reports',
        Format: 'Report_CSV_20180820',
        Enabled: true,
        ReportScope: 'AllTasks',
      },
    });
    expect(job.FailureReasons ?? []).toStrictEqual([]);
    expect(job.CreationTime).toBeInstanceOf(Date);
    expect(job.TerminationDate?.getTime()).toBeGreaterThanOrEqual(job.CreationTime?.getTime() ?? Infinity);
    for (const key of ['phi/before-1.txt', 'phi/before-2.txt', 'phi/failed.txt']) {
      expect(await status(source, key)).toBe('COMPLETED');
      const replica = await s3.send(new HeadObjectCommand({ Bucket: replicas, Key: key }));
      expect(replica).toMatchObject({ ReplicationStatus: 'REPLICA', VersionId: versions[key] });
      expect(await text(replicas, key)).toBe(`body of ${key}`);
    }
    const replicated = (await s3.send(new ListObjectVersionsCommand({ Bucket: replicas }))).Versions ?? [];
    expect(replicated.map((v) => v.Key).sort()).toStrictEqual([
      'phi/before-1.txt',
      'phi/before-2.txt',
      'phi/failed.txt',
      'phi/live.txt',
    ]);
  });

  it('writes the completion report as S3 does: manifest.json naming the results CSV, one row per task', async () => {
    const manifest = JSON.parse(
      await text(reports, `batch-reports/job-${jobId}/manifest.json`),
    ) as ReportManifest;
    expect(manifest).toMatchObject({ Format: 'Report_CSV_20180820', ReportSchema: SCHEMA });
    expect(manifest.ReportCreationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(manifest.Results).toHaveLength(1);
    const [result] = manifest.Results;
    expect(result).toMatchObject({ TaskExecutionStatus: 'succeeded', Bucket: reports });
    expect(result?.Key).toMatch(new RegExp(`^batch-reports/job-${jobId}/results/[0-9a-f]{40}\\.csv$`));
    const csv = await text(reports, result?.Key ?? '');
    expect(createHash('md5').update(csv).digest('hex')).toBe(result?.MD5Checksum);
    expect(csv.trim().split('\n').sort()).toStrictEqual(
      ['phi/before-1.txt', 'phi/before-2.txt', 'phi/failed.txt'].map(
        (key) => `${source},${key},${versions[key]},succeeded,200,,Successful`,
      ),
    );
  });

  it('returns the same JobId for the same ClientRequestToken, and lists the job once', async () => {
    const again = await control.send(new CreateJobCommand(batchReplication(source, reports, 'backfill-1')));
    expect(again.JobId).toBe(jobId);
    const { Jobs = [] } = await control.send(new ListJobsCommand({ AccountId: account }));
    expect(Jobs.filter((j) => j.JobId === jobId)).toMatchObject([
      { Operation: 'S3ReplicateObject', Status: 'Complete', Priority: 10 },
    ]);
  });

  it('fails the tasks whose destination is missing and reports only them with ReportScope FailedTasksOnly', async () => {
    const orphan = bucket('batch-orphan');
    await createBucket(orphan);
    const version = await put(orphan, 'phi/x.txt');
    await replicateTo(orphan, bucket('batch-missing'));
    const { JobId = '' } = await control.send(
      new CreateJobCommand(
        batchReplication(orphan, reports, 'orphan-1', {
          Report: {
            Bucket: `arn:aws:s3:::${reports}`,
            Prefix: 'failures',
            Format: 'Report_CSV_20180820',
            Enabled: true,
            ReportScope: 'FailedTasksOnly',
          },
          ManifestGenerator: {
            S3JobManifestGenerator: {
              SourceBucket: `arn:aws:s3:::${orphan}`,
              EnableManifestOutput: true,
              ManifestOutputLocation: {
                Bucket: `arn:aws:s3:::${reports}`,
                ManifestPrefix: 'generated',
                ManifestFormat: 'S3InventoryReport_CSV_20211130',
              },
              Filter: { ObjectReplicationStatuses: ['NONE'] },
            },
          },
        }),
      ),
    );
    const job = await finished(JobId);
    expect(job).toMatchObject({
      Status: 'Complete',
      ProgressSummary: { TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 1 },
      GeneratedManifestDescriptor: {
        Format: 'S3InventoryReport_CSV_20211130',
        Location: { ObjectArn: `arn:aws:s3:::${reports}/generated/job-${JobId}/manifest.json` },
      },
    });
    const generated = JSON.parse(await text(reports, `generated/job-${JobId}/manifest.json`)) as {
      files: { key: string }[];
    };
    expect(await text(reports, generated.files[0]?.key ?? '')).toBe(`${orphan},phi/x.txt,${version}\n`);
    expect(await status(orphan, 'phi/x.txt')).toBe('FAILED');
    const manifest = JSON.parse(await text(reports, `failures/job-${JobId}/manifest.json`)) as ReportManifest;
    expect(manifest.Results.map((r) => r.TaskExecutionStatus)).toStrictEqual(['failed']);
    const csv = await text(reports, manifest.Results[0]?.Key ?? '');
    expect(csv).toMatch(new RegExp(`^${orphan},phi/x\\.txt,${version},failed,400,DstBucketNotFound,`));
  });

  it('waits in Suspended when ConfirmationRequired, and runs after UpdateJobStatus Ready', async () => {
    await put(source, 'phi/later.txt'); // COMPLETED by live replication: selected by COMPLETED only
    await drain();
    const { JobId = '' } = await control.send(
      new CreateJobCommand(
        batchReplication(source, reports, 'confirm-1', {
          ConfirmationRequired: true,
          ManifestGenerator: {
            S3JobManifestGenerator: {
              SourceBucket: `arn:aws:s3:::${source}`,
              EnableManifestOutput: false,
              Filter: {
                ObjectReplicationStatuses: ['COMPLETED'],
                KeyNameConstraint: { MatchAnyPrefix: ['phi/l'] },
              },
            },
          },
        }),
      ),
    );
    await drain();
    const { Job } = await control.send(new DescribeJobCommand({ AccountId: account, JobId }));
    expect(Job).toMatchObject({ Status: 'Suspended', ProgressSummary: { TotalNumberOfTasks: 2 } });
    const update = await control.send(
      new UpdateJobStatusCommand({ AccountId: account, JobId, RequestedJobStatus: 'Ready' }),
    );
    expect(update).toMatchObject({ JobId, Status: 'Active' });
    expect(await finished(JobId)).toMatchObject({
      Status: 'Complete',
      ProgressSummary: { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 0 },
    });
  });

  it('refuses a job without a manifest generator (400 InvalidRequest)', async () => {
    await expect(
      control.send(
        new CreateJobCommand(
          batchReplication(source, reports, 'invalid-1', { ManifestGenerator: undefined }),
        ),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
  });

  it('answers 404 NoSuchJobException for an unknown job', async () => {
    await expect(
      control.send(
        new DescribeJobCommand({ AccountId: account, JobId: '00000000-0000-0000-0000-000000000000' }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchJobException', $metadata: { httpStatusCode: 404 } });
  });
});

describe('S3 Batch Replication jobs without their patch (REPLGUARD_MOTO_UNPATCHED=s3control-jobs)', () => {
  let unpatched: Emulator;
  beforeAll(async () => {
    unpatched = await startEmulator({ env: { ...process.env, REPLGUARD_MOTO_UNPATCHED: 's3control-jobs' } });
  });
  afterAll(() => unpatched?.stop());

  it('moto has no CreateJob', async () => {
    const plain = controlClient(unpatched.endpoint);
    await expect(
      plain.send(new CreateJobCommand(batchReplication('src', 'reports', 'token-1'))),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});
