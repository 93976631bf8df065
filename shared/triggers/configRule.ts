/**
 * The AWS Config rule's trigger (evaluateBucket): a configuration change, an oversized change (its item read
 * with GetResourceConfigHistory) or the periodic run → the buckets to judge, with the invocation's result
 * token so each gets its Config evaluation.
 */
import type { Context } from 'aws-lambda';
import type { ClientFactory } from '../aws/clientFactory.js';
import { readLatestConfigItem } from '../collect/readers/config.js';
import { S3_BUCKET_RESOURCE_TYPE } from '../collect/fromConfigItem.js';
import { ScanSession } from '../collect/session.js';
import { REPORTED, type Target } from '../engine/judge.js';
import type { PathContext, PathOutcome, Work } from '../engine/path.js';
import type { PublishSummary } from '../publish/pipeline.js';
import type {
  ChangeInvocation,
  Continuation,
  OversizedInvocation,
  ScheduledInvocation,
} from '../events/configRule.js';

/** Config item statuses of a resource that is gone or no longer recorded. */
const GONE = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

/** What evaluateBucket answers for a configuration change. */
export type ConfigChangeOutcome =
  | {
      readonly kind: 'change' | 'oversized';
      readonly bucket: string;
      readonly compliance: string;
      readonly reason?: string;
      readonly summary?: PublishSummary;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

export type ChangeWork =
  { readonly ignored: string } | { readonly bucket: string; readonly work: Work; readonly reason?: string };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * A changed bucket: its item judged (scope, then evaluation), or NOT_APPLICABLE when it left the rule's
 * scope, was deleted or is no longer recorded. An oversized notification's item is read from Config.
 */
export const changeWork = async (
  invocation: ChangeInvocation | OversizedInvocation,
  factory: ClientFactory,
): Promise<ChangeWork> => {
  const item =
    invocation.kind === 'change'
      ? invocation.item
      : invocation.resourceType === S3_BUCKET_RESOURCE_TYPE
        ? await readLatestConfigItem(factory, invocation)
        : null;
  if (invocation.resourceType !== S3_BUCKET_RESOURCE_TYPE)
    return {
      ignored: `${invocation.resourceType} is not an S3 bucket: the rule's scope should be AWS::S3::Bucket`,
    };
  const bucket =
    text(item?.resourceName) ??
    (invocation.kind === 'oversized'
      ? (invocation.resourceName ?? invocation.resourceId)
      : invocation.resourceId);
  const config = { resultToken: invocation.resultToken, orderingTimestamp: invocation.orderingTimestamp };
  const gone = (reason: string): ChangeWork => ({
    bucket,
    reason,
    work: { gone: [{ bucket, reason }], config },
  });
  if (invocation.eventLeftScope) return gone('the bucket left the rule scope');
  const status =
    text(item?.configurationItemStatus) ?? (invocation.kind === 'oversized' ? invocation.status : undefined);
  if (!item || (status && GONE.has(status))) return gone(`the bucket is ${status ?? 'not recorded'}`);
  const accountId = text(item.awsAccountId) ?? invocation.accountId;
  return { bucket, work: { targets: [{ bucket, accountId, item }], config } };
};

/** Buckets a periodic run continues to evaluate at most this many times (10,000 buckets at ~1 s each need about 12). */
export const MAX_HOPS = 50;

/** What a periodic run reports. */
export interface ScheduledOutcome {
  readonly evaluated: number;
  readonly notApplicable: number;
  readonly remaining: number;
  readonly continuation?: Continuation;
  readonly deferred: boolean;
  readonly summary?: PublishSummary;
}

/**
 * A periodic run: the buckets of the account in the rule's Region after the run's cursor, in name order
 * (from the replication index), judged under a deadline, with the invocation's result token.
 */
export const scheduledWork = async (
  ctx: Pick<PathContext, 'collector' | 'factory' | 'parameters' | 'now'>,
  invocation: ScheduledInvocation,
  options: { readonly context?: Context; readonly reserveMs: number; readonly concurrency: number },
): Promise<Work & { targets: Target[] }> => {
  const session = new ScanSession(ctx.factory, ctx.parameters);
  const index = await ctx.collector.index(session, invocation.accountId, ctx.now().getTime());
  const startAfter = invocation.continuation?.startAfter;
  const targets = index
    .entries()
    .filter((e) => e.region === invocation.region && (startAfter === undefined || e.bucket > startAfter))
    .map((e) => ({
      bucket: e.bucket,
      accountId: invocation.accountId,
      region: e.region,
      ...(e.facts ? { facts: e.facts } : {}),
    }));
  return {
    targets,
    judge: {
      concurrency: options.concurrency,
      clock: () => ctx.now().getTime(),
      ...deadline(options.context, options.reserveMs),
    },
    config: { resultToken: invocation.resultToken, orderingTimestamp: invocation.orderingTimestamp },
    session,
  };
};

/** What a run evaluated, found not applicable and left for its continuation. */
export const scheduledCounts = (outcome: PathOutcome) => ({
  evaluated: outcome.judgements.filter((j) => REPORTED.includes(j.kind)).length,
  notApplicable: outcome.judgements.filter((j) => !REPORTED.includes(j.kind)).length,
  remaining: outcome.remaining.length,
  ...(outcome.summary ? { summary: outcome.summary } : {}),
});

/**
 * A deadline for a periodic run: workers stop taking buckets when the time left, less the reserve, would
 * not cover the slowest bucket seen so far (×1.5), so every bucket taken is finished and published.
 */
export const deadline = (context: Context | undefined, reserveMs: number) => {
  let slowestMs = 0;
  const remainingMs = () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  return {
    mayStart: () => remainingMs() - reserveMs > slowestMs * 1.5,
    onJudged: (_judgement: unknown, _done: number, _total: number, elapsedMs: number) => {
      slowestMs = Math.max(slowestMs, elapsedMs);
    },
  };
};

/** The next continuation of a run that left `lastTaken` as its last bucket, or why there is none. */
export const nextContinuation = (
  invocation: ScheduledInvocation,
  lastTaken: string | undefined,
  context: Context | undefined,
): Continuation | { readonly stop: string } => {
  const hop = (invocation.continuation?.hop ?? 0) + 1;
  if (!lastTaken) return { stop: 'no time to evaluate a bucket' };
  if (hop > MAX_HOPS) return { stop: `more than ${MAX_HOPS} continuations` };
  return {
    startAfter: lastTaken,
    hop,
    correlationId:
      invocation.continuation?.correlationId ?? context?.awsRequestId ?? invocation.resultToken.slice(0, 16),
  };
};
