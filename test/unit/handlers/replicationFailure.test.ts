import { afterEach, describe, expect, it, vi } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationFailureHandler } from '../../../shared/handlers/replicationFailure.js';
import { PublishError } from '../../../shared/publish/errors.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
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
import { fakeDeps, logLines, summaryOf } from './fakes.js';

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
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: suspended } });
    const response = await replicationFailureHandler(fakes.deps)(storm(1000));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fakes.published).toHaveLength(1);
    const results = fakes.published[0]?.results ?? [];
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.details?.failureReason).sort()).toEqual([...REASONS].sort());
    expect(results.map((r) => r.details?.count)).toEqual([200, 200, 200, 200, 200]);
    expect(fakes.collected).toEqual([SRC_BUCKET]);
    const unversioned = results.find((r) => r.details?.failureReason === 'DstBucketUnversioned');
    expect(unversioned?.message).toContain('Root cause: [versioning_destination_enabled]');
    expect(fakes.published[0]?.options).toMatchObject({
      securityHub: false,
      topicArn: expect.stringContaining(':sns:'),
    });
  });

  it('never writes object keys in messages, remediation or logs', async () => {
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: suspended } });
    await replicationFailureHandler(fakes.deps)(storm(20));
    for (const r of fakes.published[0]?.results ?? []) {
      expect(r.message).not.toContain('Jane');
      expect(r.remediation).not.toContain('Jane');
    }
    expect(fakes.output()).not.toContain('Jane');
  });

  it('acknowledges s3:TestEvent, reads SNS-wrapped messages, and reports a malformed message as a batch item failure', async () => {
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: healthySnapshot() } });
    const failed = loadEvent('s3', 'operation-failed-replication');
    const event = sqsEvent([
      sqsRecord('raw', failed),
      sqsRecord('wrapped', snsEnvelope(failed)),
      sqsRecord('test', loadEvent('s3', 'test-event')),
      sqsRecord('broken', `{"Records": [${SECRET_KEY}`, 4),
    ]) as never;
    const response = await replicationFailureHandler(fakes.deps)(event);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'broken' }] });
    expect(fakes.published[0]?.results).toHaveLength(1);
    expect(fakes.published[0]?.results[0]?.details?.count).toBe(2);
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
    const fakes = fakeDeps();
    const response = await replicationFailureHandler(fakes.deps)(
      sqsEvent([sqsRecord('t', loadEvent('s3', 'test-event'))]) as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(fakes.published).toHaveLength(0);
  });

  it('retries only the messages of the aggregates that failed to publish', async () => {
    const fakes = fakeDeps({
      snapshots: { [SRC_BUCKET]: suspended },
      publish: async (_f, results) => {
        const bad = results.find((r) => r.replicationRuleId === 'rule-b');
        if (!bad) return summaryOf(results);
        throw new PublishError(
          'partial',
          'PARTIAL_FAILURE',
          [{ id: `alert:${findingIdOf(bad)}`, reason: 'Throttled' }],
          {
            summary: summaryOf(results.filter((r) => r !== bad)),
          },
        );
      },
    });
    const event = sqsEvent(
      ['rule-a', 'rule-b', 'rule-a', 'rule-b', 'rule-c'].map((ruleId, i) =>
        sqsRecord(
          `m-${i}`,
          s3Message([replicationRecord({ bucket: SRC_BUCKET, destinationBucket: DST_BUCKET, ruleId })]),
        ),
      ),
    ) as never;
    const response = await replicationFailureHandler(fakes.deps)(event);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-1', 'm-3']);
  });

  it('gives every aggregate its own finding: one per failure reason on the same pair', async () => {
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: suspended } });
    await replicationFailureHandler(fakes.deps)(storm(10));
    const ids = new Set((fakes.published[0]?.results ?? []).map(findingIdOf));
    expect(ids.size).toBe(REASONS.length);
  });

  it('retries every aggregated message (but not test events) when publishing fails outright', async () => {
    const fakes = fakeDeps({
      snapshots: { [SRC_BUCKET]: suspended },
      publish: async () => {
        throw new Error('Security Hub unreachable');
      },
    });
    const event = storm(3) as unknown as { Records: unknown[] };
    event.Records.push(sqsRecord('test', loadEvent('s3', 'test-event')));
    const response = await replicationFailureHandler(fakes.deps)(event as never);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-0', 'm-1', 'm-2']);
  });

  it('still publishes the finding when the source bucket cannot be diagnosed', async () => {
    const fakes = fakeDeps({ snapshots: {} });
    await replicationFailureHandler(fakes.deps)(storm(2, ['DstKmsKeyNotFound']));
    expect(fakes.published[0]?.results[0]?.message).toContain('Diagnosis unavailable');
  });

  it('diagnoses a bucket once for several batches (cached) and again after the cache lifetime', async () => {
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: suspended } });
    const handle = replicationFailureHandler(fakes.deps, { diagnosisTtlMs: 60_000 });
    await handle(storm(5));
    await handle(storm(5));
    expect(fakes.collected).toHaveLength(1);
    const expired = replicationFailureHandler(fakes.deps, { diagnosisTtlMs: 0 });
    await expired(storm(5));
    await expired(storm(5));
    expect(fakes.collected).toHaveLength(3);
  });

  it('emits EMF metrics for events received, aggregated, aggregates and malformed messages', async () => {
    const fakes = fakeDeps({ snapshots: { [SRC_BUCKET]: suspended } });
    const event = storm(10) as unknown as { Records: unknown[] };
    event.Records.push(sqsRecord('bad', 'nope'));
    await replicationFailureHandler(fakes.deps)(event as never);
    fakes.deps.obs.metrics.publishStoredMetrics();
    const emf = logLines(fakes.output()).filter((l) => '_aws' in l);
    const value = (name: string) => emf.map((d) => d[name]).find((v) => v !== undefined);
    expect(value('EventsReceived')).toBe(10);
    expect(value('EventsAggregated')).toBe(10);
    expect(value('Aggregates')).toBe(5);
    expect(value('MalformedMessages')).toBe(1);
    expect(emf.find((d) => d.Transition === 'new')?.Findings).toBe(5);
  });
});
