import { afterEach, describe, expect, it, vi } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { parseAlarmEvent } from '../../../shared/events/alarm.js';
import { replicationAlarmHandler } from '../../../shared/handlers/replicationAlarm.js';
import { DST_BUCKET, firstRule, RULE_ID, SRC_BUCKET, variant } from '../../fixtures/snapshots.js';
import { loadEvent } from '../../fixtures/events/index.js';
import { fakeRuntime } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

/** Source versioning suspended and replication metrics off: replication stops and the backlog grows. */
const noMetrics = variant((s) => {
  firstRule(s).destination.metrics = { status: 'Disabled' };
  s.source.versioning = known('Suspended');
});

describe('replicationAlarmHandler', () => {
  it('raises replication_backlog for the pair on ALARM, with metric, value and probable cause', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: noMetrics } });
    const outcome = await replicationAlarmHandler(fakes.rt)(
      parseAlarmEvent(loadEvent('alarm', 'bytes-pending-alarm')),
    );
    expect(outcome).toMatchObject({ state: 'ALARM', pairs: 1 });
    const [result] = fakes.results();
    expect(result).toMatchObject({
      ruleId: 'replication_backlog',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      bucket: SRC_BUCKET,
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
      details: {
        alarmName: 'phi-prod-to-phi-dr-bytes-pending',
        metrics: ['BytesPendingReplication'],
        value: 8589934592,
        threshold: 1073741824,
        probableCause: ['versioning_source_enabled'],
      },
    });
    expect(result?.message).toContain(
      `Replication of ${SRC_BUCKET} to ${DST_BUCKET} (rule ${RULE_ID}) is backing up`,
    );
    expect(result?.message).toContain('Probable cause: [versioning_source_enabled]');
    expect(result?.message).not.toMatch(/8589934592|8\.58/);
  });

  it('raises one finding for a metric math alarm naming both metrics', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: noMetrics } });
    await replicationAlarmHandler(fakes.rt)(parseAlarmEvent(loadEvent('alarm', 'metric-math-alarm')));
    const results = fakes.results();
    expect(results).toHaveLength(1);
    expect(results[0]?.message).toContain('on OperationsFailedReplication, OperationsPendingReplication');
    expect(results[0]?.details).toMatchObject({ expression: 'IF(m1 > 0 AND m2 > 1000, 1, 0)' });
  });

  it('resolves on OK (a COMPLIANT result, no diagnosis needed)', async () => {
    const fakes = fakeRuntime({ snapshots: { [SRC_BUCKET]: noMetrics } });
    const handle = replicationAlarmHandler(fakes.rt);
    await handle(parseAlarmEvent(loadEvent('alarm', 'bytes-pending-alarm')));
    expect(fakes.collected).toEqual([SRC_BUCKET]);
    await handle(parseAlarmEvent(loadEvent('alarm', 'bytes-pending-ok')));
    expect(fakes.recorded.writes[1]).toEqual([
      expect.objectContaining({
        transition: 'resolved',
        result: expect.objectContaining({ ruleId: 'replication_backlog', status: 'COMPLIANT' }),
      }),
    ]);
    expect(fakes.collected).toEqual([SRC_BUCKET]);
  });

  it.each([
    ['bytes-pending-insufficient-data', /INSUFFICIENT_DATA changes no finding/],
    ['unrelated-metric-alarm', /watches no AWS\/S3 replication metric/],
  ] as const)('changes nothing for %s', async (name, why) => {
    const fakes = fakeRuntime();
    const outcome = await replicationAlarmHandler(fakes.rt)(parseAlarmEvent(loadEvent('alarm', name)));
    expect(outcome.ignored).toMatch(why);
    expect(fakes.recorded.reads).toHaveLength(0);
  });
});
