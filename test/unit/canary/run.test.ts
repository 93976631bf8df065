import { describe, expect, it } from 'vitest';
import { type CanarySource, runCanaries } from '../../../shared/canary/run.js';
import type { CanarySettings } from '../../../shared/canary/settings.js';
import { STATE_KEY } from '../../../shared/canary/verdict.js';
import { known, unknown } from '../../../shared/model/datum.js';
import type { ReplicationRule } from '../../../shared/model/snapshot.js';
import { FakeWorld } from './fakeWorld.js';

const MIN = 60_000;
const SETTINGS: CanarySettings = { maxRetentionDays: 1, waitMs: 30_000, pollMs: 2000 };

const rule = (id: string, bucket: string, over: Partial<ReplicationRule> = {}): ReplicationRule => ({
  id,
  status: 'Enabled',
  filter: { prefix: '' },
  destination: { bucket, bucketArn: `arn:aws:s3:::${bucket}` },
  ...over,
});

const SOURCE: CanarySource = {
  bucket: 'phi-prod',
  accountId: '111111111111',
  region: 'us-east-1',
  replication: { role: 'arn:aws:iam::111111111111:role/r', rules: [rule('to-dr', 'phi-dr')] },
};

const run = (world: FakeWorld, sources = [SOURCE], settings = SETTINGS) =>
  runCanaries(world.io, sources, settings, { ...world.clock, random: () => 'cafe0001' });

describe('runCanaries', () => {
  it('writes one canary under the prefix and measures a replica that arrives while it waits', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 5000 });
    const out = await run(world);
    expect(world.puts).toEqual([
      { bucket: 'phi-prod', key: 'replguard-canary/20250304T220000000Z-cafe0001.txt' },
    ]);
    expect(out.verdicts).toEqual([
      expect.objectContaining({ outcome: 'replicated', latencySeconds: 6, measuredInRun: true }),
    ]);
    expect(out).toMatchObject({ written: ['phi-prod'], pending: 0, skipped: [], warnings: [], errors: [] });
  });

  it('leaves a slow canary to the next run, which judges it once (replicated, latency an upper bound)', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 5 * MIN });
    const first = await run(world);
    expect(first).toMatchObject({ verdicts: [], pending: 1 });
    expect(world.puts.map((p) => p.key)).toContain(STATE_KEY);
    world.now += 15 * MIN;
    const second = await run(world);
    const judged = second.verdicts.filter((v) => v.measuredInRun === false);
    expect(judged).toEqual([expect.objectContaining({ outcome: 'replicated', measuredInRun: false })]);
    expect(judged[0]?.latencySeconds).toBeGreaterThanOrEqual(15 * 60);
    world.now += 15 * MIN;
    const third = await run(world);
    const again = third.verdicts.filter((v) => !v.measuredInRun);
    expect(again).toEqual([expect.objectContaining({ outcome: 'replicated' })]);
    expect(again[0]?.canaryKey).not.toBe(judged[0]?.canaryKey);
  });

  it('judges a canary late once the threshold passed, and a later canary that replicates in time replicated', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: null });
    await run(world);
    world.now += 15 * MIN;
    const late = await run(world);
    expect(late.verdicts).toEqual([
      expect.objectContaining({ outcome: 'late', sourceStatus: 'PENDING', replica: 'absent' }),
    ]);
    world.destinations.set('phi-dr', { delayMs: 1000 });
    world.now += 15 * MIN;
    const fixed = await run(world);
    expect(fixed.verdicts.map((v) => v.outcome)).toEqual(['replicated', 'replicated']);
  });

  it('fails at once when S3 marks the replication FAILED', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: null, fails: true });
    const out = await run(world);
    expect(out.verdicts).toEqual([expect.objectContaining({ outcome: 'failed', sourceStatus: 'FAILED' })]);
    expect(out.pending).toBe(0);
  });

  it('checks every destination of the source on its own', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 1000 });
    world.destinations.set('phi-archive', { delayMs: null, denied: true });
    const source = {
      ...SOURCE,
      replication: {
        ...SOURCE.replication,
        rules: [rule('to-dr', 'phi-dr'), rule('to-archive', 'phi-archive')],
      },
    };
    const out = await run(world, [source]);
    expect(out.verdicts.map((v) => [v.pair.destinationBucket, v.outcome])).toEqual([
      ['phi-dr', 'replicated'],
    ]);
    expect(out.pending).toBe(1);
  });

  it('waits no longer than it is told', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 10 * MIN });
    const started = world.now;
    await run(world, [SOURCE], { ...SETTINGS, waitMs: 10_000 });
    expect(world.now - started).toBeLessThanOrEqual(10_000);
    await run(world, [SOURCE], { ...SETTINGS, waitMs: 0 });
  });

  it('skips a source whose default retention exceeds the maximum, writing nothing', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 0 });
    world.lock = known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 365 } });
    const out = await run(world);
    expect(world.puts).toEqual([]);
    expect(out.skipped).toEqual([
      {
        bucket: 'phi-prod',
        reason: expect.stringContaining(
          'default Object Lock retention (365 days) exceeds CanaryMaxRetentionDays (1)',
        ),
      },
    ]);
    world.lock = known({ enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 1 } });
    expect((await run(world)).written).toEqual(['phi-prod']);
    world.lock = unknown(
      'AccessDenied on s3:GetBucketObjectLockConfiguration',
      's3:GetBucketObjectLockConfiguration',
    );
    expect((await run(world)).skipped[0]?.reason).toContain('Object Lock configuration could not be read');
  });

  it("skips a source whose replicas would take a destination's longer default retention", async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 0 });
    world.locks.set('phi-dr', known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 7 } }));
    const out = await run(world);
    expect(world.puts).toEqual([]);
    expect(out.skipped[0]?.reason).toContain(
      "destination phi-dr's default Object Lock retention (2555 days) exceeds CanaryMaxRetentionDays (1)",
    );
    // A source with a short retention of its own: its replicas keep that one.
    world.locks.set('phi-prod', known({ enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 1 } }));
    expect((await run(world)).written).toEqual(['phi-prod']);
  });

  it('skips a source none of whose rules carries canaries', async () => {
    const world = new FakeWorld();
    const source = {
      ...SOURCE,
      replication: {
        ...SOURCE.replication,
        rules: [rule('to-dr', 'phi-dr', { filter: { prefix: 'scans/' } })],
      },
    };
    const out = await run(world, [source]);
    expect(world.puts).toEqual([]);
    expect(out.skipped[0]?.reason).toContain(
      'no replication rule carries canaries (to-dr: the rule\'s prefix "scans/"',
    );
  });

  it('warns when no lifecycle rule expires the canaries, and still writes', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 0 });
    world.lifecycle = known(null);
    const out = await run(world);
    expect(out.written).toEqual(['phi-prod']);
    expect(out.warnings).toEqual([
      {
        bucket: 'phi-prod',
        reason: expect.stringContaining('no enabled lifecycle rule of the source expires replguard-canary/'),
      },
      { bucket: 'phi-dr', reason: expect.stringContaining('of the destination') },
    ]);
  });

  it('writes the state only when it changes', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 0 });
    await run(world);
    await run(world);
    expect(world.puts.filter((p) => p.key === STATE_KEY)).toEqual([]);
  });

  it('reports a canary it could not write as an error, not as a replication failure', async () => {
    const world = new FakeWorld();
    world.destinations.set('phi-dr', { delayMs: 0 });
    world.putFails = true;
    const out = await run(world);
    expect(out).toMatchObject({ verdicts: [], written: [] });
    expect(out.errors).toEqual([
      { bucket: 'phi-prod', reason: 'the canary could not be written: AccessDenied on s3:PutObject' },
    ]);
  });
});
