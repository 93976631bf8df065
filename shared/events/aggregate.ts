/**
 * Aggregation of replication events: a storm of thousands of events becomes one aggregate per
 * (Region, source bucket, destination, replication rule, failureReason) — and per pair for the RTC
 * threshold events — with counts and first/last seen, so ReplGuard raises one finding per aggregate and
 * never one alert per event. Pure and allocation-light: it runs on every event of a storm.
 */
import { type ReplicationEvent, ReplicationEventType } from './s3Replication.js';

export const AggregateKind = { Failure: 'failure', Threshold: 'threshold' } as const;
export type AggregateKind = (typeof AggregateKind)[keyof typeof AggregateKind];

/** How many distinct object keys an aggregate keeps as samples (raw: the pipeline redacts them). */
export const MAX_SAMPLE_KEYS = 5;

export interface Aggregate {
  readonly key: string;
  readonly kind: AggregateKind;
  readonly region: string;
  readonly sourceBucket: string;
  readonly ownerId?: string;
  readonly destinationBucket: string;
  readonly replicationRuleId: string;
  /** The failure reason (failure aggregates), or null (threshold aggregates). */
  readonly failureReason: string | null;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Events per type (threshold aggregates count missed and replicated-after separately). */
  readonly byType: Partial<Record<ReplicationEventType, number>>;
  /** Events per S3 operation (OBJECT_PUT, DELETE_MARKER_PUT, …). */
  readonly operations: Record<string, number>;
  /** Up to {@link MAX_SAMPLE_KEYS} distinct raw object keys. Sensitive: publish only through the redacting pipeline. */
  readonly sampleObjectKeys: string[];
  /** The queue messages that contributed (so a failed publish retries exactly them). */
  readonly messageIds: Set<string>;
}

const SEP = '\u0000';

/** The aggregate key of an event, or undefined for events that are not aggregated (OperationNotTracked). */
export const aggregateKeyOf = (e: ReplicationEvent): string | undefined => {
  if (e.type === ReplicationEventType.Failed)
    return `F${SEP}${e.region}${SEP}${e.sourceBucket}${SEP}${e.destinationBucket}${SEP}${e.replicationRuleId}${SEP}${e.failureReason ?? ''}`;
  if (
    e.type === ReplicationEventType.MissedThreshold ||
    e.type === ReplicationEventType.ReplicatedAfterThreshold
  )
    return `T${SEP}${e.region}${SEP}${e.sourceBucket}${SEP}${e.destinationBucket}${SEP}${e.replicationRuleId}`;
  return undefined;
};

const create = (key: string, e: ReplicationEvent): Aggregate => ({
  key,
  kind: e.type === ReplicationEventType.Failed ? AggregateKind.Failure : AggregateKind.Threshold,
  region: e.region,
  sourceBucket: e.sourceBucket,
  ...(e.ownerId ? { ownerId: e.ownerId } : {}),
  destinationBucket: e.destinationBucket,
  replicationRuleId: e.replicationRuleId,
  failureReason: e.type === ReplicationEventType.Failed ? (e.failureReason ?? null) : null,
  count: 0,
  firstSeenMs: e.eventTimeMs,
  lastSeenMs: e.eventTimeMs,
  byType: {},
  operations: {},
  sampleObjectKeys: [],
  messageIds: new Set<string>(),
});

/** Accumulates events into aggregates. */
export class ReplicationAggregator {
  readonly #aggregates = new Map<string, Aggregate>();
  #aggregated = 0;
  #notAggregated = 0;

  /** Adds one event; returns false when the event type is not aggregated (it is counted as such). */
  add(event: ReplicationEvent, messageId: string): boolean {
    const key = aggregateKeyOf(event);
    if (key === undefined) {
      this.#notAggregated += 1;
      return false;
    }
    let agg = this.#aggregates.get(key);
    if (!agg) {
      agg = create(key, event);
      this.#aggregates.set(key, agg);
    }
    agg.count += 1;
    if (event.eventTimeMs < agg.firstSeenMs) agg.firstSeenMs = event.eventTimeMs;
    if (event.eventTimeMs > agg.lastSeenMs) agg.lastSeenMs = event.eventTimeMs;
    agg.byType[event.type] = (agg.byType[event.type] ?? 0) + 1;
    if (event.s3Operation) agg.operations[event.s3Operation] = (agg.operations[event.s3Operation] ?? 0) + 1;
    if (agg.sampleObjectKeys.length < MAX_SAMPLE_KEYS && !agg.sampleObjectKeys.includes(event.objectKey))
      agg.sampleObjectKeys.push(event.objectKey);
    agg.messageIds.add(messageId);
    this.#aggregated += 1;
    return true;
  }

  /** Aggregates in first-seen insertion order. */
  aggregates(): Aggregate[] {
    return [...this.#aggregates.values()];
  }

  get size(): number {
    return this.#aggregates.size;
  }

  /** Events folded into an aggregate. */
  get eventsAggregated(): number {
    return this.#aggregated;
  }

  /** Events of a type that is not aggregated (OperationNotTracked). */
  get eventsNotAggregated(): number {
    return this.#notAggregated;
  }
}

/** Merges two aggregates of the same key (counts add, the earliest first and latest last seen win). */
export const mergeAggregates = (a: Aggregate, b: Aggregate): Aggregate => {
  if (a.key !== b.key) throw new Error('Cannot merge aggregates of different keys');
  const byType: Partial<Record<ReplicationEventType, number>> = { ...a.byType };
  for (const [t, n] of Object.entries(b.byType) as [ReplicationEventType, number][])
    byType[t] = (byType[t] ?? 0) + n;
  const operations: Record<string, number> = { ...a.operations };
  for (const [op, n] of Object.entries(b.operations)) operations[op] = (operations[op] ?? 0) + n;
  const samples = [...a.sampleObjectKeys];
  for (const k of b.sampleObjectKeys)
    if (samples.length < MAX_SAMPLE_KEYS && !samples.includes(k)) samples.push(k);
  return {
    ...a,
    count: a.count + b.count,
    firstSeenMs: Math.min(a.firstSeenMs, b.firstSeenMs),
    lastSeenMs: Math.max(a.lastSeenMs, b.lastSeenMs),
    byType,
    operations,
    sampleObjectKeys: samples,
    messageIds: new Set([...a.messageIds, ...b.messageIds]),
  };
};
