import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { metricsOf, normaliseAlarm } from '../../../../shared/collect/normalise/cloudwatch.js';

const dims = [
  { Name: 'SourceBucket', Value: 'phi-prod' },
  { Name: 'DestinationBucket', Value: 'phi-dr' },
  { Name: 'RuleId', Value: 'r1' },
];
const plain: MetricAlarm = {
  AlarmName: 'pending',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:pending',
  ActionsEnabled: true,
  AlarmActions: ['arn:aws:sns:us-east-1:111111111111:ops'],
  Namespace: 'AWS/S3',
  MetricName: 'BytesPendingReplication',
  Dimensions: dims,
};
const math: MetricAlarm = {
  AlarmName: 'backlog-math',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:backlog-math',
  ActionsEnabled: false,
  Metrics: [
    {
      Id: 'm1',
      MetricStat: {
        Metric: { Namespace: 'AWS/S3', MetricName: 'OperationsPendingReplication', Dimensions: dims },
        Period: 300,
        Stat: 'Maximum',
      },
    },
    {
      Id: 'm2',
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 300, Stat: 'Sum' },
    },
    { Id: 'e1', Expression: 'm1 + m2', ReturnData: true },
  ],
};

describe('normaliseAlarm', () => {
  it('keeps a plain alarm on a replication metric, with its dimensions as a map', () => {
    expect(normaliseAlarm(plain)).toEqual({
      name: 'pending',
      arn: plain.AlarmArn,
      actionsEnabled: true,
      alarmActions: ['arn:aws:sns:us-east-1:111111111111:ops'],
      metrics: [
        {
          namespace: 'AWS/S3',
          name: 'BytesPendingReplication',
          dimensions: { SourceBucket: 'phi-prod', DestinationBucket: 'phi-dr', RuleId: 'r1' },
        },
      ],
    });
  });

  it('keeps a metric-math alarm with every metric it reads', () => {
    const info = normaliseAlarm(math);
    expect(info?.actionsEnabled).toBe(false);
    expect(info?.alarmActions).toEqual([]);
    expect(info?.metrics.map((m) => `${m.namespace}/${m.name}`)).toEqual([
      'AWS/S3/OperationsPendingReplication',
      'AWS/Lambda/Errors',
    ]);
  });

  it.each<[string, MetricAlarm]>([
    ['another namespace', { ...plain, Namespace: 'AWS/SQS', MetricName: 'BytesPendingReplication' }],
    ['another S3 metric', { ...plain, MetricName: 'BucketSizeBytes' }],
    ['a composite-like alarm with no metric', { AlarmName: 'x' }],
  ])('drops an alarm on %s', (_case, alarm) => {
    expect(normaliseAlarm(alarm)).toBeUndefined();
  });

  it('treats missing ActionsEnabled as enabled (the AWS default)', () => {
    expect(normaliseAlarm({ ...plain, ActionsEnabled: undefined })?.actionsEnabled).toBe(true);
  });

  it('lists no metric for an expression-only query', () => {
    expect(metricsOf({ Metrics: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] })).toEqual([]);
  });
});
