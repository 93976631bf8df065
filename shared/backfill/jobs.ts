/**
 * Running a Batch Replication job: CreateJob, its progress, and the summary of its completion report (counts
 * and error codes only: the report lists object keys, which never leave it).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  DescribeJobCommand,
  type JobDescriptor,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { csvFields } from '../collect/normalise/objectStatus.js';
import type { CreateJobRequest } from './request.js';

/** Job states after which nothing more happens. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['Complete', 'Failed', 'Cancelled']);

export interface JobProgress {
  readonly status: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
}

export const progressOf = (job: JobDescriptor): JobProgress => ({
  status: job.Status ?? 'Unknown',
  total: job.ProgressSummary?.TotalNumberOfTasks ?? 0,
  succeeded: job.ProgressSummary?.NumberOfTasksSucceeded ?? 0,
  failed: job.ProgressSummary?.NumberOfTasksFailed ?? 0,
});

export const startJob = async (s3control: S3ControlClient, request: CreateJobRequest): Promise<string> => {
  const out = await s3control.send(new CreateJobCommand(request));
  if (!out.JobId) throw new Error('S3 Control CreateJob returned no JobId');
  return out.JobId;
};

export interface FollowOptions {
  readonly intervalMs: number;
  /** Give up following (the job goes on) after this long. */
  readonly timeoutMs: number;
  readonly onProgress: (p: JobProgress) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** DescribeJob until the job ends or the timeout passes; the last description. */
export const followJob = async (
  s3control: S3ControlClient,
  accountId: string,
  jobId: string,
  options: FollowOptions,
): Promise<JobDescriptor> => {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const job =
      (await s3control.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId }))).Job ?? {};
    options.onProgress(progressOf(job));
    if (FINAL_STATES.has(job.Status ?? '') || Date.now() >= deadline) return job;
    await sleep(options.intervalMs);
  }
};

/** The completion report in words: failed tasks by error code, never a key. */
export interface ReportSummary {
  readonly manifestKey: string;
  readonly failedTasks: number;
  readonly byError: Readonly<Record<string, number>>;
}

/** `<prefix>/job-<id>/manifest.json` in the report bucket, as S3 Batch Operations writes it. */
export const reportManifestKey = (prefix: string | undefined, jobId: string): string =>
  `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}job-${jobId}/manifest.json`;

const text = async (s3: S3Client, bucket: string, key: string): Promise<string> =>
  (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';

/**
 * Reads the completion report's manifest and its result files (`Bucket, Key, VersionId, TaskStatus,
 * ErrorCode, HTTPStatusCode, ResultMessage`) and counts failed tasks per error code.
 */
export const summariseReport = async (
  s3: S3Client,
  bucket: string,
  prefix: string | undefined,
  jobId: string,
): Promise<ReportSummary> => {
  const manifestKey = reportManifestKey(prefix, jobId);
  const manifest = JSON.parse(await text(s3, bucket, manifestKey)) as {
    Results?: { Key?: string; TaskExecutionStatus?: string }[];
  };
  const byError: Record<string, number> = {};
  let failedTasks = 0;
  for (const result of manifest.Results ?? []) {
    if (!result.Key) continue;
    for (const line of (await text(s3, bucket, result.Key)).split('\n')) {
      if (!line.trim()) continue;
      const f = csvFields(line);
      if ((f[3] ?? '').toLowerCase() !== 'failed') continue;
      failedTasks++;
      // Rows carry the HTTP status before the error code (AWS's examples: `…,failed,400,InvalidRequest,…`),
      // although the manifest's ReportSchema names them the other way round: take the non-numeric one.
      const code =
        [f[4], f[5]].find((v) => v && !/^\d+$/.test(v)) ?? `HTTP ${[f[4], f[5]].find(Boolean) ?? '?'}`;
      byError[code] = (byError[code] ?? 0) + 1;
    }
  }
  return { manifestKey, failedTasks, byError };
};
