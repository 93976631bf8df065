/**
 * The replication events trigger (onReplicationFailure): a batch of queue messages (S3 replication events,
 * raw or SNS-wrapped, and s3:TestEvent) → aggregates → one observation each for a runtime rule, diagnosed
 * on its source bucket. Messages that cannot be read, or whose finding could not be recorded, come back as
 * `batchItemFailures` so only they are retried (and reach the dead-letter queue after maxReceiveCount).
 */
import { accountOfArn } from '../collect/normalise/arn.js';
import { observe, type Observation, type PathOutcome } from '../engine/path.js';
import { findingIdOf } from '../findings/identity.js';
import { type Aggregate, AggregateKind, ReplicationAggregator } from '../events/aggregate.js';
import { EventError } from '../events/errors.js';
import { parseReplicationMessage } from '../events/s3Replication.js';
import { receiveCountOf, type SqsEvent } from '../events/sqs.js';
import { MetricName, type Observability } from '../middleware/observability.js';
import { replicationOperationsFailing, replicationThresholdMissed } from '../rules/runtime/index.js';

export interface ReadBatch {
  readonly aggregator: ReplicationAggregator;
  /** Message id → why it could not be read or published. */
  readonly failures: Map<string, string>;
  /** SNS topic ARN per message (its account owns the source bucket). */
  readonly topics: Map<string, string>;
  ignored: number;
  received: number;
}

/**
 * Reads and aggregates every message of a batch (the pure half of the trigger, also what bench/storm
 * measures); a message that cannot be read is logged (reason only, never content) and marked failed.
 */
export const readMessages = (deps: { readonly obs: Observability }, event: SqsEvent): ReadBatch => {
  const batch: ReadBatch = {
    aggregator: new ReplicationAggregator(),
    failures: new Map(),
    topics: new Map(),
    ignored: 0,
    received: 0,
  };
  for (const record of event.Records) {
    try {
      const message = parseReplicationMessage(record.body);
      if (message.kind === 'test') {
        deps.obs.logger.info('s3:TestEvent acknowledged and ignored', {
          messageId: record.messageId,
          bucket: message.bucket,
        });
        batch.ignored += 1;
        continue;
      }
      if (message.topicArn) batch.topics.set(record.messageId, message.topicArn);
      batch.ignored += message.ignored;
      batch.received += message.events.length;
      for (const e of message.events) if (!batch.aggregator.add(e, record.messageId)) batch.ignored += 1;
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      deps.obs.logger.error('Malformed replication event message: it will be retried, then dead-lettered', {
        messageId: record.messageId,
        receiveCount: receiveCountOf(record),
        code: error.code,
        reason: error.message,
      });
      batch.failures.set(record.messageId, error.message);
    }
  }
  return batch;
};

/** Accounts that may own an aggregate's source bucket: the event's owner id, the SNS topic's account. */
const accountHints = (agg: Aggregate, topics: ReadonlyMap<string, string>): (string | undefined)[] => {
  const topic = [...agg.messageIds].map((id) => topics.get(id)).find(Boolean);
  return [agg.ownerId, topic ? accountOfArn(topic) : undefined];
};

/** One observation per aggregate: replication_operations_failing or replication_threshold_missed. */
export const observationsOf = (batch: ReadBatch): Observation[] =>
  batch.aggregator.aggregates().map((agg) => {
    const hints = accountHints(agg, batch.topics);
    const rule =
      agg.kind === AggregateKind.Failure ? replicationOperationsFailing : replicationThresholdMissed;
    return observe(rule, agg, {
      diagnose: { bucket: agg.sourceBucket, accountHints: hints },
      accountHints: hints,
    });
  });

/**
 * The messages to retry after publishing: those of the aggregates whose finding was not recorded. A failed
 * item named by the bare finding id is a failed state write; one prefixed by a sink (`alert:…`, `chat:…`) is
 * an alert that failed after its finding was recorded, whose events must not be counted twice: its messages
 * are retried only when there is no state sink (nothing was recorded).
 */
export const messagesToRetry = (
  batch: ReadBatch,
  outcome: Pick<PathOutcome, 'observed' | 'failed'>,
  stateRecorded: boolean,
): Map<string, string> => {
  const aggregates = batch.aggregator.aggregates();
  const findingIds = outcome.observed.map(findingIdOf);
  const out = new Map(batch.failures);
  for (const f of outcome.failed) {
    const alert = /^[a-zA-Z]+:/.test(f.id);
    if (alert && stateRecorded) continue;
    const agg = aggregates[findingIds.indexOf(f.id.replace(/^[a-zA-Z]+:/, ''))];
    for (const message of agg?.messageIds ?? []) out.set(message, f.reason);
  }
  return out;
};

/** Every aggregated message (publishing failed outright: all of them are retried). */
export const allMessages = (batch: ReadBatch, reason: string): Map<string, string> => {
  const out = new Map(batch.failures);
  for (const agg of batch.aggregator.aggregates()) for (const m of agg.messageIds) out.set(m, reason);
  return out;
};

/** The batch's metrics: events received, aggregated, aggregates, ignored, malformed messages. */
export const batchMetrics = (batch: ReadBatch): [MetricName, number][] => [
  [MetricName.EventsReceived, batch.received],
  [MetricName.EventsAggregated, batch.aggregator.eventsAggregated],
  [MetricName.Aggregates, batch.aggregator.size],
  [MetricName.EventsIgnored, batch.ignored],
  [MetricName.MalformedMessages, batch.failures.size],
];
