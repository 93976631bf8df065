import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScheduledEvent } from '../../../shared/events/schedule.js';
import { replicationCanaryHandler } from '../../../shared/handlers/replicationCanary.js';
import { known } from '../../../shared/model/datum.js';
import { loadEvent } from '../../fixtures/events/index.js';
import {
  DST_ARN,
  DST_BUCKET,
  healthySnapshot,
  RULE_ID,
  SRC_BUCKET,
  variant,
} from '../../fixtures/snapshots.js';
import { FakeWorld } from '../canary/fakeWorld.js';
import { fakeRuntime, logLines } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const MIN = 60_000;
const SETTINGS = { maxRetentionDays: 1, waitMs: 30_000, pollMs: 2000 };
const EVENT = parseScheduledEvent(loadEvent('schedule', 'canary-schedule'));

/** phi-prod opted in; its destination's versioning Suspended (what the diagnosis finds). */
const optedIn = variant((s) => {
  s.source.tags = known({ DataClassification: 'PHI', 'replguard:canary': 'true' });
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

const setup = (snapshots = { [SRC_BUCKET]: optedIn }) => {
  const world = new FakeWorld();
  const fakes = fakeRuntime({ snapshots, now: () => new Date(world.now) });
  const handle = replicationCanaryHandler(fakes.rt, {
    io: () => world.io,
    settings: () => SETTINGS,
    sleep: world.clock.sleep,
  });
  return { world, fakes, handle };
};

describe('replicationCanaryHandler', () => {
  it('raises replication_canary_failed for a canary that never arrives, then resolves it once one replicates in time', async () => {
    const { world, fakes, handle } = setup();
    world.destinations.set(DST_BUCKET, { delayMs: null });

    expect(await handle(EVENT)).toMatchObject({
      sources: 1,
      written: 1,
      replicated: 0,
      failed: 0,
      pending: 1,
    });
    expect(fakes.recorded.writes).toEqual([]);

    world.now += 15 * MIN;
    expect(await handle(EVENT)).toMatchObject({ failed: 1, summary: { new: 1, messagesSent: 1 } });
    const [raised] = fakes.results();
    expect(raised).toMatchObject({
      ruleId: 'replication_canary_failed',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      bucket: SRC_BUCKET,
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
      details: { probableCause: ['versioning_destination_enabled'], replica: 'absent' },
    });

    world.now += 15 * MIN;
    expect(await handle(EVENT)).toMatchObject({ failed: 1, summary: { unchanged: 1, messagesSent: 0 } });

    world.destinations.set(DST_BUCKET, { delayMs: 1000 });
    world.now += 15 * MIN;
    expect(await handle(EVENT)).toMatchObject({
      replicated: 1,
      failed: 0,
      pending: 0,
      summary: { resolved: 1 },
    });
    expect(fakes.recorded.alerts.flat().map((a) => a.transition)).toEqual(['new', 'resolved']);
  });

  it('emits ReplicationCanaryLatency by source bucket, never an object key', async () => {
    const { world, fakes, handle } = setup({
      [SRC_BUCKET]: variant((s) => {
        s.source.tags = known({ 'replguard:canary': 'true' });
      }),
    });
    world.destinations.set(DST_BUCKET, { delayMs: 3000 });
    await handle(EVENT);
    const emf = logLines(fakes.output()).filter((l) => l.ReplicationCanaryLatency !== undefined);
    expect(emf).toEqual([expect.objectContaining({ ReplicationCanaryLatency: 4, SourceBucket: SRC_BUCKET })]);
    const directive = (
      emf[0]?._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: unknown[] }[] }
    ).CloudWatchMetrics[0];
    expect(directive?.Dimensions[0]).toContain('SourceBucket');
    expect(directive?.Metrics).toEqual([{ Name: 'ReplicationCanaryLatency', Unit: 'Seconds' }]);
    expect(fakes.output()).not.toContain('replguard-canary/2025');
  });

  it('does nothing for buckets that are not opted in', async () => {
    const { world, fakes, handle } = setup({ [SRC_BUCKET]: healthySnapshot() });
    expect(await handle(EVENT)).toMatchObject({ sources: 0, written: 0, skipped: [] });
    expect(world.puts).toEqual([]);
    expect(fakes.recorded.reads).toEqual([]);
  });

  it('says in its outcome which buckets it skipped and why', async () => {
    const { world, handle } = setup();
    world.lock = known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 365 } });
    const outcome = await handle(EVENT);
    expect(outcome).toMatchObject({ sources: 1, written: 0 });
    expect(outcome.skipped).toEqual([
      { bucket: SRC_BUCKET, reason: expect.stringContaining('exceeds CanaryMaxRetentionDays (1)') },
    ]);
  });
});
