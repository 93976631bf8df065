/**
 * onReplicationFailure: a batch of queue messages (S3 replication events, raw or SNS-wrapped, and
 * s3:TestEvent) → aggregates → one diagnosed finding per aggregate → the findings pipeline. Messages that
 * cannot be read, or whose aggregate could not be published, are returned as `batchItemFailures` so only
 * they are retried (and reach the dead-letter queue after the queue's maxReceiveCount).
 */
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { accountOfArn } from '../collect/normalise/arn.js';
import { findingIdOf } from '../findings/identity.js';
import { type Aggregate, ReplicationAggregator } from '../events/aggregate.js';
import { EventError } from '../events/errors.js';
import { parseReplicationMessage } from '../events/s3Replication.js';
import { receiveCountOf, type SqsEvent } from '../events/sqs.js';
import { describeError } from '../middleware/errorHandler.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import { PublishError, PublishErrorCode } from '../publish/errors.js';
import type { PublishSummary } from '../publish/pipeline.js';
import type { RuleResult } from '../rules/types.js';
import { Diagnoser, type Diagnosis, ownerCandidates } from './diagnose.js';
import { findingForAggregate, type PreviousCounts } from './failureFindings.js';
import { readPreviousCounts } from './previousCounts.js';
import type { HandlerDeps } from './runtime.js';

export interface ReplicationFailureOptions {
  /** How long a source bucket's diagnosis is reused across batches (default 5 minutes). */
  readonly diagnosisTtlMs?: number;
}

export interface ReadBatch {
  readonly aggregator: ReplicationAggregator;
  readonly failures: Map<string, string>;
  /** SNS topic ARN per message (its account owns the source bucket). */
  readonly topics: Map<string, string>;
  ignored: number;
  received: number;
}

/**
 * Reads and aggregates every message of a batch (the pure half of the handler, also what bench/storm
 * measures); a message that cannot be read is logged (reason only, never content) and marked failed.
 */
export const readMessages = (deps: Pick<HandlerDeps, 'obs'>, event: SqsEvent): ReadBatch => {
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

const accountHints = (agg: Aggregate, topics: ReadonlyMap<string, string>): (string | undefined)[] => {
  const topic = [...agg.messageIds].map((id) => topics.get(id)).find(Boolean);
  return [agg.ownerId, topic ? accountOfArn(topic) : undefined];
};

/** Finding id → the aggregate it reports (so publish failures map back to messages). */
const failedAggregates = (error: PublishError, byId: ReadonlyMap<string, Aggregate>): Aggregate[] =>
  error.failed.flatMap((f) => {
    const agg = byId.get(f.id.replace(/^alert:/, ''));
    return agg ? [agg] : [];
  });

/** Builds the onReplicationFailure behaviour: `(SQS batch) → { batchItemFailures }`. */
export const replicationFailureHandler = (deps: HandlerDeps, options: ReplicationFailureOptions = {}) => {
  const diagnoser = new Diagnoser(deps, options.diagnosisTtlMs);
  return async (event: SqsEvent, _context?: Context): Promise<SQSBatchResponse> => {
    const { obs } = deps;
    const batch = readMessages(deps, event);
    const aggregates = batch.aggregator.aggregates();
    count(obs, MetricName.EventsReceived, batch.received);
    count(obs, MetricName.EventsAggregated, batch.aggregator.eventsAggregated);
    count(obs, MetricName.Aggregates, aggregates.length);
    count(obs, MetricName.EventsIgnored, batch.ignored);
    count(obs, MetricName.MalformedMessages, batch.failures.size);
    let summary: PublishSummary | undefined;
    if (aggregates.length > 0) {
      let failed: readonly Aggregate[];
      let why: unknown;
      try {
        ({
          failed,
          error: why,
          summary,
        } = await publishAggregates(deps, diagnoser, aggregates, batch.topics));
      } catch (error) {
        failed = aggregates;
        why = error;
      }
      if (failed.length > 0) {
        obs.logger.error('Publishing replication findings failed: their messages will be retried', {
          error: describeError(why),
          aggregates: failed.length,
        });
        for (const agg of failed)
          for (const id of agg.messageIds) batch.failures.set(id, (why as Error).message);
      }
    }
    obs.logger.info('Replication event batch handled', {
      messages: event.Records.length,
      events: batch.received,
      aggregates: aggregates.length,
      ignored: batch.ignored,
      failedMessages: batch.failures.size,
      ...(summary ? { summary } : {}),
    });
    return { batchItemFailures: [...batch.failures.keys()].map((itemIdentifier) => ({ itemIdentifier })) };
  };
};

const publishAggregates = async (
  deps: HandlerDeps,
  diagnoser: Diagnoser,
  aggregates: readonly Aggregate[],
  topics: ReadonlyMap<string, string>,
): Promise<{ failed: readonly Aggregate[]; error?: unknown; summary?: PublishSummary }> => {
  const factory = deps.factory();
  const home = await factory.homeAccountId();
  // One diagnosis per source bucket (and owner hints) per batch, whatever the cache lifetime.
  const pending = new Map<string, Promise<Diagnosis>>();
  const diagnoses = new Map<Aggregate, Diagnosis>();
  await Promise.all(
    aggregates.map(async (agg) => {
      const hints = accountHints(agg, topics);
      const key = JSON.stringify([agg.sourceBucket, hints]);
      if (!pending.has(key)) pending.set(key, diagnoser.diagnose(agg.sourceBucket, hints));
      diagnoses.set(agg, await (pending.get(key) as Promise<Diagnosis>));
    }),
  );
  const build = (previous: ReadonlyMap<string, PreviousCounts>): RuleResult[] =>
    aggregates.map((agg) => {
      const diagnosis = diagnoses.get(agg) as Diagnosis;
      const accountId = diagnosis.ok
        ? diagnosis.accountId
        : (ownerCandidates(home, accountHints(agg, topics))[0] ?? home);
      const draft = findingForAggregate({ aggregate: agg, diagnosis, accountId });
      const prev = previous.get(findingIdOf(draft));
      return prev ? findingForAggregate({ aggregate: agg, diagnosis, accountId, previous: prev }) : draft;
    });
  const securityHub = deps.securityHub();
  const drafts = build(new Map());
  const results = securityHub ? build(await readPreviousCounts(factory, drafts)) : drafts;
  const byId = new Map(results.map((r, i) => [findingIdOf(r), aggregates[i] as Aggregate]));
  const topicArn = deps.topicArn();
  try {
    const summary = await deps.publish(factory, results, {
      securityHub,
      ...(topicArn ? { topicArn } : {}),
      now: deps.now(),
    });
    countPublished(deps.obs, summary);
    return { failed: [], summary };
  } catch (error) {
    if (!(error instanceof PublishError && error.code === PublishErrorCode.PartialFailure)) throw error;
    if (error.summary) countPublished(deps.obs, error.summary);
    return {
      failed: failedAggregates(error, byId),
      error,
      ...(error.summary ? { summary: error.summary } : {}),
    };
  }
};
