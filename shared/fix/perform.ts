/**
 * `replguard fix --apply`: performs a plan's steps through the AWS SDK, exactly the operations the printed
 * commands make, in order, logging each one. Idempotent answers count as done (the bucket, role or alias is
 * already there); IAM's five-version limit is made room for by deleting the oldest non-default version.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import { IAMClient } from '@aws-sdk/client-iam';
import * as iam from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import * as kms from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import * as s3 from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import * as sns from '@aws-sdk/client-sns';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { followJob, progressOf, startJob } from '../backfill/jobs.js';
import { createJobRequest, defaultRoleArn } from '../backfill/request.js';
import type { CliService, Operation } from './operations.js';
import type { Step } from './steps.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table of SDK modules, each typed differently
type Module = Record<string, any>;

const SERVICES: Readonly<
  Record<CliService, { client: new (c: object) => unknown; id: ServiceId; module: Module }>
> = {
  s3api: { client: S3Client, id: ServiceId.S3, module: s3 },
  iam: { client: IAMClient, id: ServiceId.IAM, module: iam },
  kms: { client: KMSClient, id: ServiceId.KMS, module: kms },
  cloudtrail: { client: CloudTrailClient, id: ServiceId.CloudTrail, module: cloudtrail },
  cloudwatch: { client: CloudWatchClient, id: ServiceId.CloudWatch, module: cloudwatch },
  sns: { client: SNSClient, id: ServiceId.SNS, module: sns },
};

/** Answers that mean the step's outcome is already there. */
const ALREADY = new Set(['BucketAlreadyOwnedByYou', 'EntityAlreadyExists', 'AlreadyExistsException']);

const nameOf = (error: unknown): string =>
  (error as { name?: string; Code?: string }).name ?? (error as { Code?: string }).Code ?? '';

export interface PerformLog {
  (line: string): void;
}

const send = async (
  factory: ClientFactory,
  accountId: string,
  op: Operation,
): Promise<Record<string, unknown>> => {
  const service = SERVICES[op.service];
  const Command = service.module[`${op.name}Command`] as (new (input: object) => unknown) | undefined;
  if (!Command) throw new Error(`no SDK command for ${op.service} ${op.name}`);
  const client = (await factory.clientIn(
    service.client as never,
    service.id,
    accountId,
    op.region ?? factory.region,
  )) as unknown as { send: (c: unknown) => Promise<Record<string, unknown>> };
  return client.send(new Command({ ...op.input }));
};

/** Makes room for a new policy version: deletes the oldest version that is not the default. */
const makeRoomForVersion = async (
  factory: ClientFactory,
  accountId: string,
  policyArn: string,
  log: PerformLog,
) => {
  const out = (await send(factory, accountId, {
    service: 'iam',
    name: 'ListPolicyVersions',
    input: { PolicyArn: policyArn },
  })) as { Versions?: { VersionId?: string; IsDefaultVersion?: boolean; CreateDate?: Date }[] };
  const oldest = (out.Versions ?? [])
    .filter((v) => !v.IsDefaultVersion)
    .sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
  if (!oldest?.VersionId) throw new Error(`${policyArn} has 5 versions and none can be deleted`);
  log(`  deleting non-default version ${oldest.VersionId} of ${policyArn} (IAM keeps 5 versions)`);
  await send(factory, accountId, {
    service: 'iam',
    name: 'DeletePolicyVersion',
    input: { PolicyArn: policyArn, VersionId: oldest.VersionId },
  });
};

const performOperation = async (factory: ClientFactory, step: Step, op: Operation, log: PerformLog) => {
  try {
    return await send(factory, step.accountId, op);
  } catch (error) {
    if (ALREADY.has(nameOf(error))) {
      log(`  ${op.service} ${op.name}: already done (${nameOf(error)})`);
      return {};
    }
    if (op.name === 'CreatePolicyVersion' && nameOf(error) === 'LimitExceededException') {
      await makeRoomForVersion(factory, step.accountId, String(op.input.PolicyArn), log);
      return send(factory, step.accountId, op);
    }
    throw error;
  }
};

/** A key named by an alias: created (with its policy) and aliased unless the alias exists. */
const performCreateKey = async (factory: ClientFactory, step: Step, log: PerformLog) => {
  const [create, alias] = step.operations as [Operation, Operation];
  try {
    await send(factory, step.accountId, {
      ...alias,
      name: 'DescribeKey',
      input: { KeyId: alias.input.AliasName },
    });
    log(`  ${String(alias.input.AliasName)} exists already: kept`);
    return;
  } catch (error) {
    if (nameOf(error) !== 'NotFoundException') throw error;
  }
  const out = (await send(factory, step.accountId, create)) as { KeyMetadata?: { KeyId?: string } };
  const keyId = out.KeyMetadata?.KeyId;
  if (!keyId) throw new Error('CreateKey returned no key id');
  await send(factory, step.accountId, { ...alias, input: { ...alias.input, TargetKeyId: keyId } });
};

/**
 * The backfill step: a Batch Replication job with the default Batch Operations role (infra/
 * batch-replication-role.yml), followed until it ends (at most an hour), so the scan after it sees its work.
 */
const performBackfill = async (factory: ClientFactory, step: Step, log: PerformLog) => {
  if (step.final.kind !== 'backfill') return;
  const { change } = step.final;
  const request = createJobRequest({
    accountId: step.accountId,
    region: step.region,
    bucket: change.bucket,
    statuses: change.statuses,
    roleArn: defaultRoleArn(step.accountId, step.region),
    idempotencyScope: new Date().toISOString().slice(0, 13),
  });
  const s3control = factory.client(S3ControlClient, ServiceId.S3Control, { region: step.region });
  const jobId = await startJob(s3control, request);
  log(`  S3 Batch Replication job ${jobId} started for ${change.bucket} (${change.statuses.join(',')})`);
  const job = await followJob(s3control, step.accountId, jobId, {
    intervalMs: 2_000,
    timeoutMs: 60 * 60_000,
    onProgress: () => undefined,
  });
  const p = progressOf(job);
  log(`  job ${jobId}: ${p.status}, ${p.succeeded} of ${p.total} replicated, ${p.failed} failed`);
  if (p.status !== 'Complete' || p.failed > 0)
    throw new Error(`Batch Replication job ${jobId} ended ${p.status} with ${p.failed} failed task(s)`);
};

/** Performs one step (all its operations, in order). Throws on the first failure. */
export const performStep = async (factory: ClientFactory, step: Step, log: PerformLog): Promise<void> => {
  if (step.final.kind === 'create-key') return performCreateKey(factory, step, log);
  if (step.final.kind === 'backfill') return performBackfill(factory, step, log);
  for (const op of step.operations) await performOperation(factory, step, op, log);
};
