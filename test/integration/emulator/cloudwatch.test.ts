/**
 * CloudWatch: the current JS client speaks awsJson1_0 (awsQueryCompatible), which moto 5.2.5 answers as is.
 * Patch `cloudwatch`: DescribeAlarms pages by MaxRecords/NextToken; DescribeAlarmsForMetric matches the full
 * dimension set.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type Dimension,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const account = testAccount('integration/emulator/cloudwatch');
const cw = withAccount(new CloudWatchClient(emulatorClientConfig(inject('emulatorEndpoint'))), account);
const sent: Record<string, string>[] = [];
cw.middlewareStack.add(
  (next) => async (args) => {
    sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
    return next(args);
  },
  { step: 'finalizeRequest', name: 'recordHeaders' },
);

const dims = (source: string): Dimension[] => [
  { Name: 'SourceBucket', Value: source },
  { Name: 'DestinationBucket', Value: 'phi-dr' },
  { Name: 'RuleId', Value: 'phi-to-dr' },
];

const pendingAlarm = (name: string, source: string) =>
  new PutMetricAlarmCommand({
    AlarmName: name,
    Namespace: 'AWS/S3',
    MetricName: 'OperationsPendingReplication',
    Dimensions: dims(source),
    Statistic: 'Maximum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 100,
    ComparisonOperator: 'GreaterThanThreshold',
  });

describe('CloudWatch alarms (emulator)', () => {
  beforeAll(async () => {
    await cw.send(pendingAlarm('c-pending-src', 'src'));
    await cw.send(pendingAlarm('a-pending-other', 'other'));
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'b-failed-math',
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          {
            Id: 'm1',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/S3',
                MetricName: 'OperationsFailedReplication',
                Dimensions: dims('src'),
              },
              Period: 300,
              Stat: 'Sum',
            },
          },
          { Id: 'e1', Expression: 'FILL(m1, 0)', Label: 'failed', ReturnData: true },
        ],
      }),
    );
  });

  it('is spoken to in awsJson1_0 by the current client, and moto answers it', () => {
    expect(sent[0]).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm',
      'x-amzn-query-mode': 'true',
    });
  });

  it('pages DescribeAlarms by MaxRecords, in name order', async () => {
    const names: string[] = [];
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const page = await cw.send(
        new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 2, NextToken: token }),
      );
      names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ''));
      pages.push(page.MetricAlarms?.length ?? 0);
      token = page.NextToken;
    } while (token);
    expect(names).toStrictEqual(['a-pending-other', 'b-failed-math', 'c-pending-src']);
    expect(pages).toStrictEqual([2, 1]);
  });

  it('returns metric-math alarms with their Metrics list', async () => {
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['b-failed-math'] }));
    const alarm: MetricAlarm | undefined = MetricAlarms?.[0];
    expect(alarm?.Metrics?.map((m) => m.Id)).toStrictEqual(['m1', 'e1']);
    expect(alarm?.Metrics?.[0]?.MetricStat?.Metric?.Dimensions).toStrictEqual(dims('src'));
  });

  it('matches the full dimension set in DescribeAlarmsForMetric, and skips metric-math alarms (as AWS)', async () => {
    const forMetric = async (metric: string, dimensions: Dimension[]) =>
      (
        await cw.send(
          new DescribeAlarmsForMetricCommand({
            Namespace: 'AWS/S3',
            MetricName: metric,
            Dimensions: dimensions,
          }),
        )
      ).MetricAlarms?.map((a) => a.AlarmName);
    expect(await forMetric('OperationsPendingReplication', dims('src'))).toStrictEqual(['c-pending-src']);
    expect(
      await forMetric('OperationsPendingReplication', [{ Name: 'SourceBucket', Value: 'src' }]),
    ).toStrictEqual([]);
    expect(await forMetric('OperationsFailedReplication', dims('src'))).toStrictEqual([]);
  });
});
