import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmInfo, MetricRef } from '../../model/snapshot.js';

/** The `AWS/S3` metrics S3 emits for replication (with metrics or RTC enabled on a rule). */
export const REPLICATION_METRICS: readonly string[] = [
  'BytesPendingReplication',
  'OperationsPendingReplication',
  'ReplicationLatency',
  'OperationsFailedReplication',
];

const dimensionsOf = (
  dims: readonly { Name?: string; Value?: string }[] | undefined,
): Record<string, string> =>
  Object.fromEntries((dims ?? []).filter((d) => d.Name).map((d) => [d.Name as string, d.Value ?? '']));

/** Every metric an alarm watches: its own metric, or each `MetricStat` of a metric-math alarm. */
export const metricsOf = (alarm: MetricAlarm): MetricRef[] => {
  const refs: MetricRef[] = [];
  if (alarm.Namespace && alarm.MetricName)
    refs.push({
      namespace: alarm.Namespace,
      name: alarm.MetricName,
      dimensions: dimensionsOf(alarm.Dimensions),
    });
  for (const q of alarm.Metrics ?? []) {
    const m = q.MetricStat?.Metric;
    if (m?.Namespace && m.MetricName)
      refs.push({ namespace: m.Namespace, name: m.MetricName, dimensions: dimensionsOf(m.Dimensions) });
  }
  return refs;
};

/** True when the metric is one of S3's replication metrics. */
export const isReplicationMetric = (m: MetricRef): boolean =>
  m.namespace === 'AWS/S3' && REPLICATION_METRICS.includes(m.name);

/** The alarm in our model, or `undefined` when it watches no S3 replication metric. */
export const normaliseAlarm = (alarm: MetricAlarm): AlarmInfo | undefined => {
  const metrics = metricsOf(alarm);
  if (!metrics.some(isReplicationMetric)) return undefined;
  return {
    name: alarm.AlarmName ?? '',
    arn: alarm.AlarmArn ?? '',
    actionsEnabled: alarm.ActionsEnabled !== false,
    alarmActions: [...(alarm.AlarmActions ?? [])],
    metrics,
  };
};
