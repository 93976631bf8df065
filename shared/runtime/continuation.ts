import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import type { Continuation, ScheduledInvocation } from '../events/configRule.js';
import { describeError } from '../middleware/errorHandler.js';
import { count, MetricName } from '../middleware/observability.js';
import { nextContinuation } from '../triggers/configRule.js';
import type { Runtime } from './deps.js';

/**
 * Continues a scheduled run in a new asynchronous invocation of this same function, with the new event
 * (the SDK honours AWS_ENDPOINT_URL(_LAMBDA), like every other client of ReplGuard).
 */
export const invokeSelf = async (
  event: Record<string, unknown>,
  context: Context | undefined,
): Promise<void> => {
  const functionName =
    context?.invokedFunctionArn || context?.functionName || process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (!functionName) throw new Error('cannot continue: the function name is unknown');
  const lambda = new LambdaClient({});
  await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
};

/**
 * Hands the rest of a periodic run to a new invocation (or says why it waits for the next run): logged, and
 * `deferred` when nothing will pick the rest up before the next scheduled run.
 */
export const continueRun = async (
  rt: Runtime,
  invocation: ScheduledInvocation,
  context: Context | undefined,
  remaining: number,
  lastTaken: string | undefined,
): Promise<{ continuation?: Continuation; deferred: boolean }> => {
  count(rt.obs, MetricName.BucketsDeferred, remaining);
  const next = nextContinuation(invocation, lastTaken, context);
  if ('stop' in next) {
    rt.obs.logger.error('Scheduled evaluation stopped: the rest waits for the next scheduled run', {
      remaining,
      reason: next.stop,
    });
    return { deferred: true };
  }
  try {
    await rt.continueWith({ ...invocation.event, replguardContinuation: next }, context);
    rt.obs.logger.warn('Scheduled evaluation continues in a new invocation (time limit)', {
      remaining,
      continuation: next,
    });
    return { continuation: next, deferred: false };
  } catch (error) {
    rt.obs.logger.error(
      'Could not start the continuation: the rest waits for the next scheduled run (grant lambda:InvokeFunction on this function)',
      { remaining, error: describeError(error) },
    );
    return { continuation: next, deferred: true };
  }
};
