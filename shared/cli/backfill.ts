/**
 * `replguard backfill`: scans the bucket, refuses while a blocking rule fails (unless --force), builds the
 * Batch Replication job, and either prints it (dry run) or starts it, follows it and summarises its report.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { ClientFactoryOptions } from '../aws/clientFactory.js';
import { scanningFactory } from './factory.js';
import { ServiceId } from '../aws/endpoint.js';
import { blockingResults, describeBlocking } from '../backfill/blocking.js';
import { followJob, type JobProgress, progressOf, startJob, summariseReport } from '../backfill/jobs.js';
import { createJobRequest, defaultRoleArn, REPORT_PREFIX } from '../backfill/request.js';
import { ScanSession } from '../collect/session.js';
import { scan } from '../engine/scan.js';
import type { BackfillArgs } from './backfillArgs.js';
import type { FixIo } from './fix.js';

export interface BackfillIo extends FixIo {
  /** True when stderr is a terminal (the progress bar redraws one line). */
  readonly stderrIsTty?: boolean;
}

const BAR = 30;

/** `[#########.....................]  30% 300/1000 (2 failed) Active`. */
export const progressLine = (p: JobProgress): string => {
  const done = p.succeeded + p.failed;
  const ratio = p.total > 0 ? Math.min(1, done / p.total) : p.status === 'Complete' ? 1 : 0;
  const filled = Math.round(ratio * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''} ${p.status}`;
};

export const runBackfill = async (
  args: BackfillArgs,
  io: BackfillIo,
  factoryOptions: ClientFactoryOptions,
): Promise<number> => {
  const factory = scanningFactory(args, factoryOptions);
  const report = await scan(new ScanSession(factory, args.parameters), {
    buckets: [args.bucket],
    all: false,
  });
  if (report.errors.length > 0) {
    io.stderr(`replguard: ${report.errors.map((e) => `${e.bucket}: ${e.message}`).join('; ')}\n`);
    return 2;
  }
  const source = report.snapshots.find((s) => s.source.name === args.bucket)?.source;
  const rules = source?.replication.known ? (source.replication.value?.rules ?? []) : undefined;
  if (!source || !rules || rules.length === 0) {
    io.stderr(
      `replguard: ${args.bucket} has no replication configuration${source?.replication.known === false ? ` that ReplGuard can read (${source.replication.reason})` : ''}: Batch Replication copies objects by it. Configure replication first (replguard fix --bucket ${args.bucket}).\n`,
    );
    return 2;
  }
  const rule = args.ruleId ? rules.find((r) => r.id === args.ruleId) : undefined;
  if (args.ruleId && !rule) {
    io.stderr(
      `replguard: ${args.bucket} has no replication rule "${args.ruleId}" (it has ${rules.map((r) => r.id).join(', ')}).\n`,
    );
    return 2;
  }
  const backlog = report.results.find(
    (r) =>
      r.ruleId === 'replication_backlog_objects' && (!args.ruleId || r.replicationRuleId === args.ruleId),
  );
  if (backlog) io.stderr(`replguard: ${backlog.status}: ${backlog.message}\n`);
  const blocking = blockingResults(report.results, args.bucket, args.ruleId);
  if (blocking.length > 0) {
    const lines = describeBlocking(blocking)
      .map((l) => `  ${l}`)
      .join('\n');
    if (!args.force) {
      io.stderr(
        `replguard: refusing to start: replication of ${args.bucket} does not work yet, and a Batch Replication job would fail the same objects again. Blocking rules:\n${lines}\nFix them first (replguard fix --bucket ${args.bucket}), or start anyway with --force.\n`,
      );
      return 1;
    }
    io.stderr(`replguard: warning: starting despite blocking rules (--force):\n${lines}\n`);
  }
  const request = createJobRequest({
    accountId: source.accountId,
    region: source.region,
    bucket: args.bucket,
    statuses: args.statuses,
    ...(rule ? { rule: { id: rule.id, ...(rule.filter.prefix ? { prefix: rule.filter.prefix } : {}) } } : {}),
    ...(args.reportBucket ? { reportBucket: args.reportBucket } : {}),
    roleArn: args.roleArn ?? defaultRoleArn(source.accountId, source.region),
    idempotencyScope: new Date().toISOString().slice(0, 13),
  });
  if (args.dryRun || (!args.yes && !io.ask)) {
    io.stdout(`${JSON.stringify(request, null, 2)}\n`);
    io.stderr(
      `replguard: dry run: this is the S3 Control CreateJob request; nothing was started.${args.dryRun ? '' : ' Run with --yes (or from a terminal) to start it.'}\n`,
    );
    return 0;
  }
  if (!args.yes && io.ask) {
    const answer = (
      await io.ask(
        `Start a Batch Replication job for the ${args.statuses.join(',')} objects of ${args.bucket}? [y/N] `,
      )
    )
      .trim()
      .toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.stderr('replguard: not started.\n');
      return 1;
    }
  }
  const s3control = factory.client(S3ControlClient, ServiceId.S3Control, { region: source.region });
  const jobId = await startJob(s3control, request);
  io.stdout(`Job ${jobId} started (S3 Batch Replication, ${args.bucket}, ${args.statuses.join(',')}).\n`);
  let last = '';
  const job = await followJob(s3control, source.accountId, jobId, {
    intervalMs: args.pollSeconds * 1000,
    timeoutMs: args.timeoutMinutes * 60_000,
    onProgress: (p) => {
      const line = progressLine(p);
      if (io.stderrIsTty) io.stderr(`\r${line}`);
      else if (line !== last) io.stderr(`${line}\n`);
      last = line;
    },
  });
  if (io.stderrIsTty) io.stderr('\n');
  const p = progressOf(job);
  io.stdout(
    `Job ${jobId}: ${p.status}. ${p.succeeded} of ${p.total} objects replicated, ${p.failed} failed.\n`,
  );
  if (!['Complete', 'Failed', 'Cancelled'].includes(p.status))
    io.stdout(
      `Still running after ${args.timeoutMinutes} minutes: follow it with aws s3control describe-job --account-id ${source.accountId} --job-id ${jobId}.\n`,
    );
  if (args.reportBucket && p.status === 'Complete') {
    try {
      const s3 = factory.client(S3Client, ServiceId.S3, { region: source.region });
      const summary = await summariseReport(s3, args.reportBucket, REPORT_PREFIX, jobId);
      const errors = Object.entries(summary.byError)
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(', ');
      io.stdout(
        `Completion report s3://${args.reportBucket}/${summary.manifestKey}: ${summary.failedTasks} failed task(s)${errors ? ` (${errors})` : ''}.\n`,
      );
    } catch (error) {
      io.stderr(`replguard: could not read the completion report: ${(error as Error).message}\n`);
    }
  }
  return p.status === 'Complete' && p.failed === 0 ? 0 : 1;
};
