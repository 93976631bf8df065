import { describe, expect, it } from 'vitest';
import { parseAlarmEvent, readReasonData } from '../../../shared/events/alarm.js';
import { loadEvent } from '../../fixtures/events/index.js';

const PAIR = { sourceBucket: 'phi-prod', destinationBucket: 'phi-dr', replicationRuleId: 'phi-to-dr' };

describe('parseAlarmEvent', () => {
  it('reads a single-metric alarm on BytesPendingReplication with its pair, value and threshold', () => {
    expect(parseAlarmEvent(loadEvent('alarm', 'bytes-pending-alarm'))).toEqual({
      eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      alarmName: 'phi-prod-to-phi-dr-bytes-pending',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:phi-prod-to-phi-dr-bytes-pending',
      accountId: '111111111111',
      region: 'us-east-1',
      state: 'ALARM',
      previousState: 'OK',
      stateReason: expect.stringContaining('Threshold Crossed'),
      stateTime: '2025-03-04T21:30:40.000+0000',
      pairs: [{ ...PAIR, metrics: ['BytesPendingReplication'] }],
      value: 8589934592,
      threshold: 1073741824,
    });
  });

  it('reads a metric math alarm: one pair with every replication metric it reads, and the expression', () => {
    const change = parseAlarmEvent(loadEvent('alarm', 'metric-math-alarm'));
    expect(change.pairs).toEqual([
      { ...PAIR, metrics: ['OperationsFailedReplication', 'OperationsPendingReplication'] },
    ]);
    expect(change).toMatchObject({ expression: 'IF(m1 > 0 AND m2 > 1000, 1, 0)', value: 1, threshold: 0 });
  });

  it.each([
    ['bytes-pending-ok', 'OK', 1],
    ['bytes-pending-insufficient-data', 'INSUFFICIENT_DATA', 1],
    ['unrelated-metric-alarm', 'ALARM', 0],
  ] as const)('reads %s (state %s, %i pair)', (name, state, pairs) => {
    const change = parseAlarmEvent(loadEvent('alarm', name));
    expect(change.state).toBe(state);
    expect(change.pairs).toHaveLength(pairs);
  });

  it('ignores S3 metrics that lack one of the three replication dimensions', () => {
    const event = loadEvent('alarm', 'bytes-pending-alarm') as {
      detail: {
        configuration: { metrics: { metricStat: { metric: { dimensions: Record<string, string> } } }[] };
      };
    };
    delete event.detail.configuration.metrics[0]?.metricStat.metric.dimensions.RuleId;
    expect(parseAlarmEvent(event).pairs).toEqual([]);
  });

  it.each([
    ['an API call event', loadEvent('cloudtrail', 'kms-disable-key'), /detail-type/],
    [
      'an unknown state',
      {
        ...loadEvent('alarm', 'bytes-pending-alarm'),
        detail: { alarmName: 'a', state: { value: 'BROKEN' }, configuration: {} },
      },
      /detail\.state\.value/,
    ],
  ])('rejects %s', (_what, event, reason) => {
    expect(() => parseAlarmEvent(event)).toThrow(reason);
  });
});

describe('readReasonData', () => {
  it.each([
    [
      'evaluated datapoints first',
      '{"evaluatedDatapoints":[{"value":7}],"recentDatapoints":[1,2],"threshold":3}',
      { value: 7, threshold: 3 },
    ],
    [
      'else the latest recent datapoint',
      '{"recentDatapoints":[1,2],"threshold":3}',
      { value: 2, threshold: 3 },
    ],
    ['nothing when absent', undefined, {}],
    ['nothing when not JSON', 'n/a', {}],
    ['nothing when shaped otherwise', '{"recentDatapoints":"x"}', {}],
  ])('takes %s', (_what, text, expected) => expect(readReasonData(text)).toEqual(expected));
});
