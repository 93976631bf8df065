import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfigRuleEvent, type ScheduledInvocation } from '../../../shared/events/configRule.js';
import { runScheduled } from '../../../shared/handlers/scheduledRun.js';
import type { Snapshot } from '../../../shared/model/snapshot.js';
import type { BucketEntry } from '../../../shared/scope/replicationIndex.js';
import { MAX_HOPS } from '../../../shared/triggers/configRule.js';
import { healthySnapshot, variant } from '../../fixtures/snapshots.js';
import { lambdaContext, loadEvent } from '../../fixtures/events/index.js';
import { fakeRuntime } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const snapshotOf = (bucket: string): Snapshot =>
  variant((s) => {
    s.source.name = bucket;
  }, healthySnapshot());

/** 10 replicated buckets in us-east-1, 2 untagged plain ones, 1 in another Region. */
const entries: BucketEntry[] = [
  ...Array.from({ length: 10 }, (_, i) => ({
    bucket: `phi-${String(i).padStart(2, '0')}`,
    region: 'us-east-1',
    tagged: true,
    replication: { role: 'arn:aws:iam::111111111111:role/r', rules: [] },
  })),
  { bucket: 'plain-1', region: 'us-east-1', tagged: false, replication: null },
  { bucket: 'plain-2', region: 'us-east-1', tagged: false, replication: null },
  { bucket: 'phi-eu', region: 'eu-west-1', tagged: true, replication: null },
];
const snapshots = Object.fromEntries(
  entries.filter((e) => e.replication).map((e) => [e.bucket, snapshotOf(e.bucket)]),
);

const scheduled = (continuation?: object): ScheduledInvocation =>
  parseConfigRuleEvent({
    ...loadEvent('config', 'scheduled-notification'),
    ...(continuation ? { replguardContinuation: continuation } : {}),
  }) as ScheduledInvocation;

/** A virtual clock: each evaluated bucket takes 10 s of a 100 s invocation. */
const clocked = (continueWith: (event: Record<string, unknown>) => Promise<void> = async () => undefined) => {
  let elapsed = 0;
  const fakes = fakeRuntime({
    snapshots,
    entries,
    now: () => new Date(Date.parse('2025-03-04T00:00:00Z') + elapsed),
    config: { reserveMs: 30_000, concurrency: 1 },
    continueWith,
  });
  const collect = fakes.rt.collector.snapshot;
  Object.assign(fakes.rt.collector, {
    snapshot: async (...args: Parameters<typeof collect>) => {
      elapsed += 10_000;
      return collect(...args);
    },
  });
  return { fakes, context: lambdaContext('evaluateBucket', () => 100_000 - elapsed) };
};

describe('runScheduled', () => {
  it('evaluates every in-scope bucket of the rule Region and sends NOT_APPLICABLE for the others, in one publish', async () => {
    const fakes = fakeRuntime({ snapshots, entries });
    const outcome = await runScheduled(
      fakes.rt,
      scheduled(),
      lambdaContext('evaluateBucket', 900_000) as never,
    );
    expect(outcome).toMatchObject({ evaluated: 10, notApplicable: 2, remaining: 0, deferred: false });
    expect(fakes.collected).not.toContain('phi-eu');
    expect(fakes.recorded.evaluations).toHaveLength(1);
    const [delivery] = fakes.recorded.evaluations;
    expect(delivery?.resultToken).toBe('myResultToken');
    const evaluations = delivery?.evaluations ?? [];
    expect(evaluations).toHaveLength(12);
    expect(
      evaluations.filter((e) => e.ComplianceType === 'NOT_APPLICABLE').map((e) => e.ComplianceResourceId),
    ).toEqual(['plain-1', 'plain-2']);
    expect(evaluations[0]?.OrderingTimestamp).toEqual(new Date('2025-03-04T00:00:00.000Z'));
    // The state is read once for the run, scoped to every bucket it covered and the catalog's rules.
    expect(fakes.recorded.reads).toHaveLength(1);
    expect(fakes.recorded.reads[0]?.scope?.buckets).toHaveLength(12);
    expect(fakes.recorded.reads[0]?.scope?.ruleIds).toContain('versioning_source_enabled');
  });

  it('stops before the deadline, publishes what it evaluated, then continues after the last bucket it took', async () => {
    const continueWith = vi.fn(async () => undefined);
    const { fakes, context } = clocked(continueWith);
    const outcome = await runScheduled(fakes.rt, scheduled(), context as never);
    // 100 s, 30 s reserve, 10 s a bucket and a 1.5× margin on the slowest: phi-00 … phi-05 (the 7th would
    // need 15 s of the 10 s left above the reserve).
    expect(outcome).toMatchObject({
      evaluated: 6,
      remaining: 6,
      deferred: false,
      continuation: { startAfter: 'phi-05', hop: 1 },
    });
    expect(fakes.recorded.evaluations).toHaveLength(1);
    expect(fakes.recorded.evaluations[0]?.evaluations).toHaveLength(6);
    expect(continueWith).toHaveBeenCalledTimes(1);
    const [event] = continueWith.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(event).toMatchObject({
      resultToken: 'myResultToken',
      replguardContinuation: { startAfter: 'phi-05', hop: 1 },
    });
    expect(event.invokingEvent).toBe(loadEvent('config', 'scheduled-notification').invokingEvent);
  });

  it('a continuation starts after its cursor and finishes the run', async () => {
    const continueWith = vi.fn(async () => undefined);
    const { fakes, context } = clocked(continueWith);
    const outcome = await runScheduled(
      fakes.rt,
      scheduled({ startAfter: 'phi-06', hop: 1, correlationId: 'run-1' }),
      context as never,
    );
    expect(outcome).toMatchObject({ evaluated: 3, notApplicable: 2, remaining: 0 });
    expect(fakes.collected).toEqual(['phi-07', 'phi-08', 'phi-09']);
    expect(continueWith).not.toHaveBeenCalled();
  });

  it('publishes and reports the rest as deferred when the continuation cannot start', async () => {
    const { fakes, context } = clocked(async () => {
      throw new Error('AccessDeniedException: lambda:InvokeFunction');
    });
    const outcome = await runScheduled(fakes.rt, scheduled(), context as never);
    expect(outcome).toMatchObject({ evaluated: 6, remaining: 6, deferred: true });
    expect(fakes.recorded.evaluations).toHaveLength(1);
    expect(fakes.output()).toContain('Could not start the continuation');
  });

  it(`stops continuing after ${MAX_HOPS} hops`, async () => {
    const continueWith = vi.fn(async () => undefined);
    const { fakes, context } = clocked(continueWith);
    const outcome = await runScheduled(
      fakes.rt,
      scheduled({ startAfter: 'phi-00', hop: MAX_HOPS, correlationId: 'r' }),
      context as never,
    );
    expect(outcome.deferred).toBe(true);
    expect(continueWith).not.toHaveBeenCalled();
  });

  it('does not loop when not even one bucket fits in the time left', async () => {
    const continueWith = vi.fn(async () => undefined);
    const { fakes } = clocked(continueWith);
    const outcome = await runScheduled(
      fakes.rt,
      scheduled(),
      lambdaContext('evaluateBucket', 10_000) as never,
    );
    expect(outcome).toMatchObject({ evaluated: 0, remaining: 12, deferred: true });
    expect(fakes.recorded.evaluations).toHaveLength(0);
    expect(fakes.recorded.writes).toHaveLength(0);
    expect(continueWith).not.toHaveBeenCalled();
  });
});
