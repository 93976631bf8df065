import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateKeyOf,
  MAX_SAMPLE_KEYS,
  mergeAggregates,
  ReplicationAggregator,
} from '../../../shared/events/aggregate.js';
import type { ReplicationEvent, ReplicationEventType } from '../../../shared/events/s3Replication.js';

const REASONS = [
  'AssumeRoleNotPermitted',
  'DstBucketUnversioned',
  'DstKmsKeyInvalidState',
  'DstPutObjectNotPermitted',
  'SrcGetObjectNotPermitted',
];
const T0 = Date.parse('2025-03-04T21:00:00Z');

const failure = (i: number, over: Partial<ReplicationEvent> = {}): ReplicationEvent => ({
  type: 'OperationFailedReplication',
  region: 'us-east-1',
  eventTimeMs: T0 + i * 1000,
  sourceBucket: `phi-${i % 4}`,
  objectKey: `patients/${i}.pdf`,
  replicationRuleId: 'to-dr',
  destinationBucket: `phi-${i % 4}-dr`,
  s3Operation: i % 3 === 0 ? 'DELETE_MARKER_PUT' : 'OBJECT_PUT',
  failureReason: REASONS[Math.floor(i / 4) % REASONS.length] as string,
  ...over,
});

const eventArb = fc.record({
  type: fc.constantFrom<ReplicationEventType>(
    'OperationFailedReplication',
    'OperationMissedThreshold',
    'OperationReplicatedAfterThreshold',
    'OperationNotTracked',
  ),
  region: fc.constantFrom('us-east-1', 'eu-west-1'),
  eventTimeMs: fc.integer({ min: T0, max: T0 + 86_400_000 }),
  sourceBucket: fc.constantFrom('a', 'b', 'c'),
  objectKey: fc.string({ maxLength: 12 }),
  replicationRuleId: fc.constantFrom('r1', 'r2'),
  destinationBucket: fc.constantFrom('d1', 'd2'),
  s3Operation: fc.constantFrom('OBJECT_PUT', 'DELETE_MARKER_PUT'),
  failureReason: fc.constantFrom(...REASONS, 'SomethingNew'),
});

const aggregateAll = (events: readonly ReplicationEvent[], from = 0) => {
  const agg = new ReplicationAggregator();
  events.forEach((e, i) => agg.add(e, `m${from + i}`));
  return agg;
};

describe('ReplicationAggregator', () => {
  it('turns a storm of 1,000 failure events over 4 pairs and 5 reasons into 20 aggregates with exact counts', () => {
    const events = Array.from({ length: 1000 }, (_, i) => failure(i));
    const agg = aggregateAll(events);
    expect(agg.size).toBe(20);
    expect(agg.eventsAggregated).toBe(1000);
    const all = agg.aggregates();
    expect(all.reduce((n, a) => n + a.count, 0)).toBe(1000);
    for (const a of all) {
      const mine = events.filter((e) => aggregateKeyOf(e) === a.key);
      expect(a.count).toBe(mine.length);
      expect(a.firstSeenMs).toBe(Math.min(...mine.map((e) => e.eventTimeMs)));
      expect(a.lastSeenMs).toBe(Math.max(...mine.map((e) => e.eventTimeMs)));
      expect(a.sampleObjectKeys).toHaveLength(MAX_SAMPLE_KEYS);
      expect(a.messageIds.size).toBe(mine.length);
      expect(a.byType.OperationFailedReplication).toBe(mine.length);
    }
  });

  it('keys failures by (Region, source, destination, rule, failureReason) and RTC events by pair only', () => {
    const agg = aggregateAll([
      failure(0),
      failure(0, { failureReason: 'DstBucketUnversioned' }),
      failure(0, { replicationRuleId: 'other' }),
      failure(0, { type: 'OperationMissedThreshold', failureReason: undefined }),
      failure(0, { type: 'OperationReplicatedAfterThreshold', failureReason: undefined }),
    ]);
    expect(agg.size).toBe(4);
    const threshold = agg.aggregates().find((a) => a.kind === 'threshold');
    expect(threshold).toMatchObject({
      count: 2,
      failureReason: null,
      byType: { OperationMissedThreshold: 1, OperationReplicatedAfterThreshold: 1 },
    });
  });

  it('counts OperationNotTracked without aggregating it', () => {
    const agg = aggregateAll([failure(0, { type: 'OperationNotTracked' }), failure(1)]);
    expect(agg.size).toBe(1);
    expect(agg.eventsNotAggregated).toBe(1);
    expect(agg.eventsAggregated).toBe(1);
  });

  it('keeps at most 5 distinct sample keys', () => {
    const agg = aggregateAll(Array.from({ length: 20 }, (_, i) => failure(0, { objectKey: `k${i % 3}` })));
    expect(agg.aggregates()[0]?.sampleObjectKeys).toEqual(['k0', 'k1', 'k2']);
  });

  it('gives the same aggregates whatever the order of the events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.integer(), (events, seed) => {
        const shuffled = [...events].sort(
          (a, b) => ((a.eventTimeMs ^ seed) % 7) - ((b.eventTimeMs ^ seed) % 7),
        );
        const summary = (list: readonly ReplicationEvent[]) =>
          Object.fromEntries(
            aggregateAll(list)
              .aggregates()
              .map((a) => [a.key, [a.count, a.firstSeenMs, a.lastSeenMs]]),
          );
        expect(summary(shuffled)).toEqual(summary(events));
      }),
    );
  });

  it('aggregating two batches then merging equals aggregating them together (cross-batch totals add up)', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 40 }),
        fc.array(eventArb, { maxLength: 40 }),
        (first, second) => {
          const a = aggregateAll(first);
          const b = aggregateAll(second, first.length);
          const together = aggregateAll([...first, ...second]);
          const merged = new Map(a.aggregates().map((x) => [x.key, x]));
          for (const x of b.aggregates()) {
            const y = merged.get(x.key);
            merged.set(x.key, y ? mergeAggregates(y, x) : x);
          }
          expect(merged.size).toBe(together.size);
          for (const t of together.aggregates()) {
            const m = merged.get(t.key);
            expect(
              m && [m.count, m.firstSeenMs, m.lastSeenMs, m.messageIds.size, m.byType, m.operations],
            ).toEqual([t.count, t.firstSeenMs, t.lastSeenMs, t.messageIds.size, t.byType, t.operations]);
          }
        },
      ),
    );
  });

  it('refuses to merge aggregates of different keys', () => {
    const [x, y] = aggregateAll([failure(0), failure(1)]).aggregates();
    expect(() => mergeAggregates(x as never, y as never)).toThrow(/different keys/);
  });
});
