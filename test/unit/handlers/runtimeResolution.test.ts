/**
 * Runtime incidents close: a replication failure finding resolves when no failure event came for the quiet
 * period and the rules it was diagnosed with pass again; a missed-threshold finding after its quiet period.
 * Checked by the periodic run and by change re-evaluations, with an injectable clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfigRuleEvent, type ScheduledInvocation } from '../../../shared/events/configRule.js';
import { runScheduled } from '../../../shared/handlers/scheduledRun.js';
import { replicationFailureHandler } from '../../../shared/handlers/replicationFailure.js';
import { known } from '../../../shared/model/datum.js';
import type { Snapshot } from '../../../shared/model/snapshot.js';
import {
  DST_ARN,
  DST_BUCKET,
  healthySnapshot,
  RULE_ID,
  SRC_BUCKET,
  variant,
} from '../../fixtures/snapshots.js';
import {
  lambdaContext,
  loadEvent,
  replicationRecord,
  s3Message,
  sqsEvent,
  sqsRecord,
} from '../../fixtures/events/index.js';
import { fakeRuntime } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const LAST_EVENT = Date.parse('2025-03-04T21:00:00Z');
const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

const failures = (type = 'OperationFailedReplication') =>
  sqsEvent([
    sqsRecord(
      'm-1',
      s3Message([
        replicationRecord({
          bucket: SRC_BUCKET,
          destinationBucket: DST_BUCKET,
          ruleId: RULE_ID,
          ...(type === 'OperationFailedReplication' ? { failureReason: 'DstBucketUnversioned' } : {}),
          eventName: `Replication:${type}`,
          eventTime: new Date(LAST_EVENT).toISOString(),
        }),
      ]),
    ),
  ]) as never;

const scheduled = parseConfigRuleEvent(loadEvent('config', 'scheduled-notification')) as ScheduledInvocation;

/** A runtime over one source bucket whose snapshot and clock a test changes. */
const world = () => {
  const snapshots: Record<string, Snapshot> = { [SRC_BUCKET]: suspended };
  let now = LAST_EVENT + 60_000;
  const fakes = fakeRuntime({ snapshots, now: () => new Date(now) });
  return {
    fakes,
    snapshots,
    at: (minutesAfterLastEvent: number) => void (now = LAST_EVENT + minutesAfterLastEvent * 60_000),
    periodic: () => runScheduled(fakes.rt, scheduled, lambdaContext('evaluateBucket', 900_000) as never),
    runtime: () => fakes.results().filter((r) => r.ruleId.startsWith('replication_')),
  };
};

describe('runtime incidents close', () => {
  it('a replication failure resolves once quiet for 60 minutes and its diagnosed rule passes again', async () => {
    const w = world();
    await replicationFailureHandler(w.fakes.rt)(failures());
    const [incident] = w.fakes.recorded.alerts[0] ?? [];
    expect(incident).toMatchObject({
      transition: 'new',
      result: { ruleId: 'replication_operations_failing' },
    });

    w.snapshots[SRC_BUCKET] = healthySnapshot(); // destination versioning fixed
    w.at(30);
    await w.periodic();
    expect(w.fakes.recorded.alerts.at(-1)?.filter((i) => i.id === incident?.id)).toEqual([]);

    w.snapshots[SRC_BUCKET] = suspended; // broken again: quiet, but the cause is still there
    w.at(61);
    await w.periodic();
    expect(w.fakes.recorded.alerts.at(-1)?.filter((i) => i.id === incident?.id)).toEqual([]);

    w.snapshots[SRC_BUCKET] = healthySnapshot();
    w.at(62);
    await w.periodic();
    const resolved = w.fakes.recorded.alerts.at(-1)?.filter((i) => i.id === incident?.id) ?? [];
    expect(resolved.map((i) => [i.transition, i.result.status])).toEqual([['resolved', 'COMPLIANT']]);
    expect(resolved[0]?.result.message).toContain(
      'no failure event for 60 minutes, and versioning_destination_enabled pass again',
    );

    w.at(90); // resolved once: nothing more
    await w.periodic();
    expect(w.fakes.recorded.alerts.at(-1)?.filter((i) => i.id === incident?.id)).toEqual([]);
  });

  it('a missed replication threshold resolves after its quiet period alone', async () => {
    const w = world();
    w.snapshots[SRC_BUCKET] = healthySnapshot();
    await replicationFailureHandler(w.fakes.rt)(failures('OperationMissedThreshold'));
    const [incident] = w.fakes.recorded.alerts[0] ?? [];
    expect(incident?.result.ruleId).toBe('replication_threshold_missed');
    w.at(59);
    await w.periodic();
    expect(w.fakes.recorded.alerts.at(-1)?.filter((i) => i.id === incident?.id)).toEqual([]);
    w.at(61);
    await w.periodic();
    expect(
      w.fakes.recorded.alerts
        .at(-1)
        ?.filter((i) => i.id === incident?.id)
        .map((i) => i.transition),
    ).toEqual(['resolved']);
  });

  it('honours another quiet period from the configuration', async () => {
    const snapshots: Record<string, Snapshot> = { [SRC_BUCKET]: suspended };
    let now = LAST_EVENT;
    const fakes = fakeRuntime({
      snapshots,
      now: () => new Date(now),
      config: { quietPeriodMs: 10 * 60_000 },
    });
    await replicationFailureHandler(fakes.rt)(failures());
    snapshots[SRC_BUCKET] = healthySnapshot();
    now = LAST_EVENT + 11 * 60_000;
    await runScheduled(fakes.rt, scheduled, lambdaContext('evaluateBucket', 900_000) as never);
    expect(fakes.recorded.alerts.at(-1)?.map((i) => [i.result.ruleId, i.transition])).toContainEqual([
      'replication_operations_failing',
      'resolved',
    ]);
  });
});
