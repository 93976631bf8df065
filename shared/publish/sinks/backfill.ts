/**
 * The automatic backfill: when a `replication_operations_failing` incident resolves (replication works
 * again), an S3 Batch Replication job copies the objects that FAILED meanwhile, and the resolve alert names
 * the job. Off unless the stack's AutoBackfill parameter sets the Batch Operations role. Only for source
 * buckets of ReplGuard's own account (a job runs in the bucket owner's account).
 */
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { ServiceId } from '../../aws/endpoint.js';
import { startJob } from '../../backfill/jobs.js';
import { createJobRequest } from '../../backfill/request.js';
import { Transition } from '../../findings/lifecycle.js';
import type { FailedItem } from '../errors.js';
import type { ActionSink, AlertNote, SinkDefinition, SinkEnvironment } from './types.js';

const RUNTIME_RULE = 'replication_operations_failing';

export const backfillSink = (env: SinkEnvironment, roleArn: string, reportBucket?: string): ActionSink => ({
  name: 'backfill',
  role: 'action',
  deliver: async (delivery) => {
    const notes = new Map<string, AlertNote>();
    const delivered: string[] = [];
    const failed: FailedItem[] = [];
    for (const item of delivery.items) {
      const r = item.result;
      if (item.transition !== Transition.Resolved || r.ruleId !== RUNTIME_RULE) continue;
      if (r.accountId !== delivery.home) {
        env.logger?.warn('Automatic backfill skipped: the source bucket is in another account', {
          findingId: item.id,
          account: r.accountId,
        });
        continue;
      }
      const request = createJobRequest({
        accountId: r.accountId,
        region: r.region,
        bucket: r.bucket,
        statuses: ['FAILED'],
        ...(reportBucket ? { reportBucket } : {}),
        roleArn,
        // A retried publish of the same resolution starts no second job.
        idempotencyScope: `${item.id}|${item.previous?.updatedAt ?? ''}`,
      });
      try {
        const s3control = env.factory.client(S3ControlClient, ServiceId.S3Control, { region: r.region });
        const jobId = await startJob(s3control, request);
        delivered.push(item.id);
        notes.set(item.id, {
          sentence: `S3 Batch Replication job ${jobId} is copying the objects that FAILED meanwhile (replguard backfill; aws s3control describe-job --account-id ${r.accountId} --job-id ${jobId}).`,
          details: { backfillJobId: jobId, backfillStatuses: ['FAILED'] },
        });
        env.logger?.info('Automatic backfill started', { findingId: item.id, jobId });
      } catch (error) {
        const reason = `automatic backfill of ${r.bucket} not started: ${(error as Error).name}: ${(error as Error).message}`;
        failed.push({ id: `backfill:${item.id}`, reason });
        env.logger?.error('Automatic backfill failed', { findingId: item.id, reason });
      }
    }
    return { delivered, failed, notes };
  },
});

export const backfillDefinition: SinkDefinition = {
  name: 'backfill',
  settings: [
    {
      key: 'backfillRoleArn',
      env: 'REPLGUARD_AUTO_BACKFILL_ROLE_ARN',
      flag: 'backfill-role-arn',
      kind: 'text',
      help: 'Batch Operations role: a resolved replication_operations_failing starts a Batch Replication job',
    },
    {
      key: 'backfillReportBucket',
      env: 'REPLGUARD_BACKFILL_REPORT_BUCKET',
      kind: 'text',
      help: 'bucket for the automatic backfill completion reports',
    },
  ],
  create: (settings, env) =>
    settings.backfillRoleArn
      ? backfillSink(env, settings.backfillRoleArn, settings.backfillReportBucket)
      : undefined,
};
