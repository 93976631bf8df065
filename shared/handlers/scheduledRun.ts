/**
 * evaluateBucket's periodic run: every bucket of the account in the rule's Region, judged in name order
 * while the invocation has time (a reserve is kept for publishing); what was judged is always published,
 * then the run continues in a new asynchronous invocation from a cursor, or waits for the next run.
 */
import type { Context } from 'aws-lambda';
import { runPath, throwIfFailed } from '../engine/path.js';
import type { ScheduledInvocation } from '../events/configRule.js';
import { continueRun } from '../runtime/continuation.js';
import { pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordOutcome } from '../runtime/report.js';
import { scheduledCounts, type ScheduledOutcome, scheduledWork } from '../triggers/configRule.js';

export const runScheduled = async (
  rt: Runtime,
  invocation: ScheduledInvocation,
  context?: Context,
): Promise<ScheduledOutcome> => {
  const ctx = { ...pathContextOf(rt), parameters: invocation.parameters };
  const { concurrency, reserveMs } = rt.config();
  const work = await scheduledWork(ctx, invocation, {
    ...(context ? { context } : {}),
    reserveMs,
    concurrency,
  });
  const outcome = throwIfFailed(await runPath(ctx, work));
  recordOutcome(rt, outcome);
  const counts = scheduledCounts(outcome);
  const hop = invocation.continuation?.hop ?? 0;
  rt.obs.logger.info('Scheduled evaluation published', {
    ...counts,
    hop,
    startAfter: invocation.continuation?.startAfter,
  });
  if (counts.remaining === 0) return { ...counts, deferred: false };
  const last = work.targets[outcome.judgements.length - 1]?.bucket;
  return { ...counts, ...(await continueRun(rt, invocation, context, counts.remaining, last)) };
};
