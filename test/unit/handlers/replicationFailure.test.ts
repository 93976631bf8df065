import { afterEach, describe, expect, it, vi } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationFailureHandler } from '../../../shared/handlers/replicationFailure.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import type { FindingDelivery } from '../../../shared/publish/sinks/index.js';
import {
  DST_ARN,
  DST_BUCKET,
  healthySnapshot,
  RULE_ID,
  SRC_BUCKET,
  variant,
} from '../../fixtures/snapshots.js';
import {
  loadEvent,
  replicationRecord,
  s3Message,
  snsEnvelope,
  sqsEvent,
  sqsRecord,
} from '../../fixtures/events/index.js';
import { fakeRuntime, logLines } from './fakes.js';

const REASONS = [
  'AssumeRoleNotPermitted',
  'DstBucketUnversioned',
  'DstKmsKeyInvalidState',
  'DstPutObjectNotPermitted',
  'SrcGetObjectNotPermitted',
];
const SECRET_KEY = 'patients/Jane Doe/2025-03-04 MRI.dcm';

const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

/** `n` failure events, one per message, cycling through `reasons` for the fixture pair. */
const storm = (n: number, reasons = REASONS) =>
  sqsEvent(
    Array.from({ length: n }, (_, i) =>
      sqsRecord(
        `m-${i}`,
        s3Message([
          replicationRecord({
            bucket: SRC_BUCKET,
            destinationBucket: DST_BUCKET,
            ruleId: RULE_ID,
            failureReason: reasons[i % reasons.length] as string,
            key: `${SECRET_KEY}-${i}`,
            eventTime: new Date(Date.parse('2025-03-04T21:00:00Z') + i * 1000).toISOString(),
          }),
        ]),
      ),
    ),
  ) as never;

afterEach(() => vi.restoreAllMocks());

describe('replicationFailureHandler', () => {
  it('turns a storm of 1,000 events into one finding per aggregate, published once', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    const response = await replicationFailureHandler(fakes.rt)(storm(1000));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fakes.recorded.writes).toHaveLength(1);
    expect(fakes.recorded.reads).toHaveLength(1);
    const results = fakes.results();
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.details?.failureReason).sort()).toEqual([...REASONS].sort());
    expect(results.map((r) => r.details?.count)).toEqual([200, 200, 200, 200, 200]);
    expect(fakes.collected).toEqual([SRC_BUCKET]);
    const unversioned = results.find((r) => r.details?.failureReason === 'DstBucketUnversioned');
    expect(unversioned?.message).toContain('Root cause: [versioning_destination_enabled]');
    expect(fakes.recorded.alerts[0]?.map((i) => i.transition)).toEqual(['new', 'new', 'new', 'new', 'new']);
  });

  it('adds each batch to the counts the stored finding carries, reading the state once per batch', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    const handle = replicationFailureHandler(fakes.rt);
    await handle(storm(10));
    await handle(storm(10));
    expect(fakes.recorded.reads).toHaveLength(2);
    expect(fakes.recorded.writes[1]?.map((i) => i.result.details?.count)).toEqual([4, 4, 4, 4, 4]);
    expect(fakes.recorded.alerts[1]).toEqual([]);
  });

  it('never writes object keys in messages, remediation or logs', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    await replicationFailureHandler(fakes.rt)(storm(20));
    for (const r of fakes.results()) {
      expect(r.message).not.toContain('Jane');
      expect(r.remediation).not.toContain('Jane');
      expect(JSON.stringify(r.details)).not.toContain('Jane');
    }
    expect(fakes.output()).not.toContain('Jane');
  });

  it('acknowledges s3:TestEvent, reads SNS-wrapped messages, and reports a malformed message as a batch item failure', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: healthySnapshot() } });
    const failed = loadEvent('s3', 'operation-failed-replication');
    const event = sqsEvent([
      sqsRecord('raw', failed),
      sqsRecord('wrapped', snsEnvelope(failed)),
      sqsRecord('test', loadEvent('s3', 'test-event')),
      sqsRecord('broken', `{"Records": [${SECRET_KEY}`, 4),
    ]) as never;
    const response = await replicationFailureHandler(fakes.rt)(event);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'broken' }] });
    expect(fakes.results()).toHaveLength(1);
    expect(fakes.results()[0]?.details?.count).toBe(2);
    const logs = logLines(fakes.output());
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 's3:TestEvent acknowledged and ignored', messageId: 'test' }),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Malformed replication event message: it will be retried, then dead-lettered',
        messageId: 'broken',
        receiveCount: 4,
        code: 'INVALID_MESSAGE',
        reason: expect.stringContaining('not valid JSON'),
      }),
    );
    expect(fakes.output()).not.toContain('Jane');
  });

  it('publishes nothing for a batch of test events only', async () => {
    const fakes = fakeRuntime();
    const response = await replicationFailureHandler(fakes.rt)(
      sqsEvent([sqsRecord('t', loadEvent('s3', 'test-event'))]) as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(fakes.recorded.reads).toHaveLength(0);
  });

  const threeRules = () =>
    sqsEvent(
      ['rule-a', 'rule-b', 'rule-a', 'rule-b', 'rule-c'].map((ruleId, i) =>
        sqsRecord(
          `m-${i}`,
          s3Message([replicationRecord({ bucket: SRC_BUCKET, destinationBucket: DST_BUCKET, ruleId })]),
        ),
      ),
    ) as never;

  it('retries only the messages of the aggregates whose finding could not be recorded', async () => {
    const fakes = fakeRuntime({
      snapshots: { [SRC_BUCKET]: suspended },
      failWrite: (id) =>
        fakes.recorded.writes.flat().find((i) => i.id === id)?.result.replicationRuleId === 'rule-b',
    });
    const response = await replicationFailureHandler(fakes.rt)(threeRules());
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-1', 'm-3']);
    // the unrecorded finding is not announced
    expect(fakes.recorded.alerts[0]?.map((i) => i.result.replicationRuleId).sort()).toEqual([
      'rule-a',
      'rule-c',
    ]);
  });

  it('does not retry messages whose finding was recorded but whose alert failed (their events are counted already)', async () => {
    const fakes = fakeRuntime({
      snapshots: { [SRC_BUCKET]: suspended },
      sinks: (sinks) =>
        sinks.map((sink) =>
          sink.role === 'alert'
            ? {
                ...sink,
                deliver: async ({ items }: FindingDelivery) => ({
                  delivered: [],
                  failed: items.map((i) => ({ id: `alert:${i.id}`, reason: 'Throttled' })),
                }),
              }
            : sink,
        ),
    });
    const response = await replicationFailureHandler(fakes.rt)(threeRules());
    expect(response.batchItemFailures).toEqual([]);
    expect(fakes.store.size).toBe(3);
  });

  it('gives every aggregate its own finding: one per failure reason on the same pair', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    await replicationFailureHandler(fakes.rt)(storm(10));
    expect(new Set(fakes.results().map(findingIdOf)).size).toBe(REASONS.length);
  });

  it('retries every aggregated message (but not test events) when publishing fails outright', async () => {
    const fakes = fakeRuntime({
      snapshots: { [SRC_BUCKET]: suspended },
      sinks: (sinks) =>
        sinks.map((sink) =>
          sink.role === 'state'
            ? {
                ...sink,
                read: async () => {
                  throw new Error('Security Hub unreachable');
                },
              }
            : sink,
        ),
    });
    const event = storm(3) as unknown as { Records: unknown[] };
    event.Records.push(sqsRecord('test', loadEvent('s3', 'test-event')));
    const response = await replicationFailureHandler(fakes.rt)(event as never);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-0', 'm-1', 'm-2']);
  });

  it('still publishes the finding when the source bucket cannot be diagnosed', async () => {
    const fakes = fakeRuntime({ snapshots: {} });
    await replicationFailureHandler(fakes.rt)(storm(2, ['DstKmsKeyNotFound']));
    expect(fakes.results()[0]?.message).toContain('Diagnosis unavailable');
  });

  it('diagnoses a bucket once for several batches (cached) and again after the cache lifetime', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    const handle = replicationFailureHandler(fakes.rt, { diagnosisTtlMs: 60_000 });
    await handle(storm(5));
    await handle(storm(5));
    expect(fakes.collected).toHaveLength(1);
    const expired = replicationFailureHandler(fakes.rt, { diagnosisTtlMs: 0 });
    await expired(storm(5));
    await expired(storm(5));
    expect(fakes.collected).toHaveLength(3);
  });

  it('emits EMF metrics for events received, aggregated, aggregates and malformed messages', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: suspended } });
    const event = storm(10) as unknown as { Records: unknown[] };
    event.Records.push(sqsRecord('bad', 'nope'));
    await replicationFailureHandler(fakes.rt)(event as never);
    fakes.rt.obs.metrics.publishStoredMetrics();
    const emf = logLines(fakes.output()).filter((l) => '_aws' in l);
    const value = (name: string) => emf.map((d) => d[name]).find((v) => v !== undefined);
    expect(value('EventsReceived')).toBe(10);
    expect(value('EventsAggregated')).toBe(10);
    expect(value('Aggregates')).toBe(5);
    expect(value('MalformedMessages')).toBe(1);
    expect(emf.find((d) => d.Transition === 'new')?.Findings).toBe(5);
  });
});
