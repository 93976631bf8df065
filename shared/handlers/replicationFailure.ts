/** onReplicationFailure: S3 replication events from SQS → one finding per aggregate; failed messages retried. */
import type { SQSBatchResponse } from 'aws-lambda';
import { runPath } from '../engine/path.js';
import type { SqsEvent } from '../events/sqs.js';
import { describeError } from '../middleware/errorHandler.js';
import { count } from '../middleware/observability.js';
import { isStateSink } from '../publish/sinks/index.js';
import { diagnoserOf, pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordOutcome } from '../runtime/report.js';
import * as trigger from '../triggers/replicationEvents.js';

/** Builds the onReplicationFailure behaviour: `(SQS batch) → { batchItemFailures }`. */
export const replicationFailureHandler = (rt: Runtime, options: { diagnosisTtlMs?: number } = {}) => {
  const diagnoser = diagnoserOf(rt, options.diagnosisTtlMs);
  return async (event: SqsEvent): Promise<SQSBatchResponse> => {
    const batch = trigger.readMessages(rt, event);
    const observations = trigger.observationsOf(batch);
    for (const [metric, value] of trigger.batchMetrics(batch)) count(rt.obs, metric, value);
    let retry = batch.failures;
    try {
      if (observations.length > 0) {
        const outcome = await runPath({ ...pathContextOf(rt), diagnoser }, { observations });
        recordOutcome(rt, outcome);
        retry = trigger.messagesToRetry(batch, outcome, rt.sinks().some(isStateSink));
      }
    } catch (error) {
      rt.obs.logger.error('Publishing replication findings failed: their messages will be retried', {
        error: describeError(error),
      });
      retry = trigger.allMessages(batch, (error as Error).message);
    }
    rt.obs.logger.info('Replication event batch handled', {
      messages: event.Records.length,
      retry: retry.size,
    });
    return { batchItemFailures: [...retry.keys()].map((itemIdentifier) => ({ itemIdentifier })) };
  };
};
