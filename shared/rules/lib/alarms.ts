import type { Change } from '../../model/fix.js';
import type { AlarmInfo, MetricRef } from '../../model/snapshot.js';

/** The replication backlog metrics (`AWS/S3`, emitted with replication metrics or RTC enabled). */
export const PENDING_METRICS: readonly string[] = ['BytesPendingReplication', 'OperationsPendingReplication'];

export interface ReplicationPath {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

const dimensionsOf = (path: ReplicationPath): Record<string, string> => ({
  SourceBucket: path.sourceBucket,
  DestinationBucket: path.destinationBucket,
  RuleId: path.ruleId,
});

/** True when `metric` is a pending-replication metric of exactly this (source, destination, rule). */
export const isPendingMetricOf = (metric: MetricRef, path: ReplicationPath): boolean => {
  if (metric.namespace !== 'AWS/S3' || !PENDING_METRICS.includes(metric.name)) return false;
  const want = dimensionsOf(path);
  const keys = Object.keys(metric.dimensions);
  return keys.length === Object.keys(want).length && keys.every((k) => metric.dimensions[k] === want[k]);
};

/** True when the alarm watches the path's backlog (directly, or as one metric of a metric-math alarm). */
export const watchesPending = (alarm: AlarmInfo, path: ReplicationPath): boolean =>
  alarm.metrics.some((m) => isPendingMetricOf(m, path));

/** True when the alarm would tell someone: actions enabled and at least one alarm action. */
export const notifies = (alarm: AlarmInfo): boolean => alarm.actionsEnabled && alarm.alarmActions.length > 0;

/**
 * An alarm on OperationsPendingReplication of the path: it alarms when the backlog has not drained for 30
 * minutes (tune the threshold to the bucket's write rate). Missing data is not breaching.
 */
export const pendingAlarmChange = (
  path: ReplicationPath,
  region: string,
  accountId: string,
  action: string,
): Extract<Change, { kind: 'alarm' }> => ({
  kind: 'alarm',
  accountId,
  region,
  alarm: {
    name: `replguard-pending-${path.sourceBucket}-${path.destinationBucket}-${path.ruleId}`.slice(0, 255),
    metricName: 'OperationsPendingReplication',
    dimensions: dimensionsOf(path),
    actions: [action],
  },
});
