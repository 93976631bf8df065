/**
 * The periodic evaluation of every in-scope bucket of the account in the rule's Region, with a deadline:
 * buckets are evaluated in name order while the invocation has time left (a reserve is kept for
 * publishing); what was evaluated is always published, then the run continues in a new asynchronous
 * invocation of the same function, carrying a cursor (`startAfter`) and the same Config result token.
 * If the continuation cannot be started, the rest waits for the next scheduled run (logged as an error,
 * counted in `BucketsDeferred`). Never a timeout with results unpublished.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { ScanSession } from '../collect/session.js';
import { CollectError } from '../collect/errors.js';
import { mapLimit } from '../engine/scan.js';
import type { Continuation, ScheduledInvocation } from '../events/configRule.js';
import { describeError } from '../middleware/errorHandler.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import { type ConfigEvaluation, toConfigEvaluation } from '../publish/configEvaluations.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { rules } from '../rules/index.js';
import type { RuleResult } from '../rules/types.js';
import type { ReverseIndexCache } from './reverseIndex.js';
import type { HandlerDeps } from './runtime.js';

/** Time kept back for publishing and handing over (default 90 s of the 900 s timeout). */
export const DEFAULT_RESERVE_MS = 90_000;
/** The reserve from `REPLGUARD_DEADLINE_RESERVE_MS`, else {@link DEFAULT_RESERVE_MS}. */
export const reserveFromEnv = (env: NodeJS.ProcessEnv = process.env): number => {
  const ms = Number(env.REPLGUARD_DEADLINE_RESERVE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_RESERVE_MS;
};
/** A run continues at most this many times (10,000 buckets at ~1 s each need about 12). */
export const MAX_HOPS = 50;

export interface ScheduledOptions {
  /** Default `REPLGUARD_DEADLINE_RESERVE_MS`, else 90 s. */
  readonly reserveMs?: number;
  /** Buckets evaluated at once. */
  readonly concurrency?: number;
  /** Starts the continuation (default: asynchronous Lambda Invoke of this function). */
  readonly continueWith?: (event: Record<string, unknown>, context: Context | undefined) => Promise<void>;
}

export interface ScheduledOutcome {
  readonly evaluated: number;
  readonly notApplicable: number;
  readonly remaining: number;
  readonly continuation?: Continuation;
  readonly deferred: boolean;
  readonly summary?: PublishSummary;
}

/** The default continuation: invoke this same function asynchronously with the new event. */
export const invokeSelf = async (
  event: Record<string, unknown>,
  context: Context | undefined,
): Promise<void> => {
  const functionName =
    context?.invokedFunctionArn || context?.functionName || process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (!functionName) throw new Error('cannot continue: the function name is unknown');
  // The SDK honours AWS_ENDPOINT_URL(_LAMBDA), like every other client of ReplGuard.
  const lambda = new LambdaClient({});
  await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
};

export const runScheduled = async (
  deps: HandlerDeps,
  invocation: ScheduledInvocation,
  context: Context | undefined,
  options: ScheduledOptions & { indexes: ReverseIndexCache },
): Promise<ScheduledOutcome> => {
  const { logger } = deps.obs;
  const factory = deps.factory();
  const session = new ScanSession(factory, invocation.parameters);
  const accountId = invocation.accountId;
  const index = await options.indexes.get(session, accountId, deps.now().getTime());
  const startAfter = invocation.continuation?.startAfter;
  const buckets = index
    .entries()
    .filter((e) => e.region === invocation.region && (startAfter === undefined || e.bucket > startAfter));
  const remainingMs = () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  const reserve = options.reserveMs ?? reserveFromEnv();
  const results: RuleResult[] = [];
  const evaluations: ConfigEvaluation[] = [];
  const outOfScope: string[] = [];
  const evaluated: string[] = [];
  let slowestMs = 0;
  let taken = 0;
  const evaluateOne = async (bucket: string): Promise<void> => {
    if (!index.isInScope(bucket)) {
      outOfScope.push(bucket);
      evaluations.push(
        toConfigEvaluation(bucket, [], { orderingTimestamp: invocation.orderingTimestamp, inScope: false }),
      );
      return;
    }
    const started = deps.now().getTime();
    try {
      const snapshot = await deps.collect(session, bucket, {
        accountId,
        isReplicaDestinationOnly: index.isReplicaOnly(bucket),
      });
      const own = deps.evaluate(snapshot);
      results.push(...own);
      evaluated.push(bucket);
      evaluations.push(
        toConfigEvaluation(bucket, own, { orderingTimestamp: invocation.orderingTimestamp, inScope: true }),
      );
    } catch (error) {
      if (!(error instanceof CollectError && error.code === 'BUCKET_NOT_FOUND')) throw error;
      outOfScope.push(bucket); // deleted since the index was built
      evaluations.push(
        toConfigEvaluation(bucket, [], { orderingTimestamp: invocation.orderingTimestamp, inScope: false }),
      );
    }
    slowestMs = Math.max(slowestMs, deps.now().getTime() - started);
  };
  // Workers take buckets in name order and stop taking when the time left (less the reserve) would not
  // cover the slowest bucket seen so far, so every bucket taken is finished: the done set is a prefix.
  const workers = Math.max(1, options.concurrency ?? 8);
  await mapLimit(Array.from({ length: workers }), workers, async () => {
    while (taken < buckets.length && remainingMs() - reserve > slowestMs * 1.5) {
      const entry = buckets[taken++];
      if (entry) await evaluateOne(entry.bucket);
    }
  });
  const remaining = buckets.length - taken;
  count(deps.obs, MetricName.Evaluations, evaluated.length);
  const topicArn = deps.topicArn();
  const covered = [...evaluated, ...outOfScope];
  let summary: PublishSummary | undefined;
  if (covered.length > 0) {
    summary = await deps.publish(factory, results, {
      securityHub: deps.securityHub(),
      ...(topicArn ? { topicArn } : {}),
      now: deps.now(),
      config: {
        resultToken: invocation.resultToken,
        orderingTimestamp: invocation.orderingTimestamp,
        evaluations,
      },
      resolveMissingFor: { buckets: covered, ruleIds: rules.map((r) => r.id) },
    });
    countPublished(deps.obs, summary);
  }
  const base = {
    evaluated: evaluated.length,
    notApplicable: outOfScope.length,
    remaining,
    ...(summary ? { summary } : {}),
  };
  logger.info('Scheduled evaluation published', {
    ...base,
    hop: invocation.continuation?.hop ?? 0,
    startAfter,
  });
  if (remaining === 0) return { ...base, deferred: false };
  count(deps.obs, MetricName.BucketsDeferred, remaining);
  const hop = (invocation.continuation?.hop ?? 0) + 1;
  const last = buckets[taken - 1]?.bucket;
  if (!last || hop > MAX_HOPS) {
    logger.error('Scheduled evaluation stopped: the rest waits for the next scheduled run', {
      remaining,
      reason: last
        ? `more than ${MAX_HOPS} continuations`
        : `no time to evaluate a bucket (reserve ${reserve} ms)`,
    });
    return { ...base, deferred: true };
  }
  const continuation: Continuation = {
    startAfter: last,
    hop,
    correlationId:
      invocation.continuation?.correlationId ?? context?.awsRequestId ?? invocation.resultToken.slice(0, 16),
  };
  try {
    await (options.continueWith ?? invokeSelf)(
      { ...invocation.event, replguardContinuation: continuation },
      context,
    );
    logger.warn('Scheduled evaluation continues in a new invocation (time limit)', {
      remaining,
      continuation,
    });
    return { ...base, continuation, deferred: false };
  } catch (error) {
    logger.error(
      'Could not start the continuation: the rest waits for the next scheduled run (grant lambda:InvokeFunction on this function)',
      {
        remaining,
        error: describeError(error),
      },
    );
    return { ...base, continuation, deferred: true };
  }
};
