import type { Snapshot } from '../model/snapshot.js';
import { shq } from '../support/shell.js';
import { notifies, pendingAlarmCommand, watchesPending } from './lib/alarms.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** An action to reuse: one of an existing replication alarm's, else an SNS topic the bucket already notifies, else ours. */
const alarmAction = (snapshot: Snapshot): string => {
  const alarms = snapshot.alarms.known ? snapshot.alarms.value : [];
  const existing = alarms.find(notifies)?.alarmActions[0];
  const notifications = snapshot.source.notifications;
  const topic = notifications.known
    ? notifications.value.targets.find((t) => t.type === 'sns')?.arn
    : undefined;
  return (
    existing ??
    topic ??
    `arn:aws:sns:${snapshot.source.region}:${snapshot.source.accountId}:replguard-replication-alerts`
  );
};

/** A growing backlog is the only sign of replication that silently stopped: an alarm with an action must watch it. */
export const pendingReplicationAlarm = defineRule({
  id: 'pending_replication_alarm',
  title: 'A CloudWatch alarm with an action watches the replication backlog',
  problem: 'no alarm on the replication backlog',
  severity: 'HIGH',
  hipaa: [Hipaa.IncidentResponse],
  remediation: {
    text: 'Create a CloudWatch alarm on BytesPendingReplication or OperationsPendingReplication (dimensions SourceBucket, DestinationBucket, RuleId) with an SNS action, for every replication rule.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html',
  },
  permissions: ['cloudwatch:DescribeAlarms', 's3:GetReplicationConfiguration'],
  evaluate: (snapshot) =>
    perReplicationRule(pendingReplicationAlarm, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      const alarms = need(
        snapshot.alarms,
        `the CloudWatch alarms of ${src.accountId} in ${src.region}`,
        results,
        scope,
      );
      if (!alarms.ok) return alarms.result;
      const path = { sourceBucket: src.name, destinationBucket: rule.destination.bucket, ruleId: rule.id };
      const watching = alarms.value.filter((a) => watchesPending(a, path));
      const good = watching.find(notifies);
      if (good)
        return results.compliant(
          `Alarm ${good.name} watches the replication backlog of rule ${rule.id} (${src.name} → ${path.destinationBucket}) and notifies ${good.alarmActions.join(', ')}.`,
          { ...scope, details: { alarm: good.name } },
        );
      const silent = watching[0];
      const command = pendingAlarmCommand(path, src.region, alarmAction(snapshot));
      if (silent)
        return results.nonCompliant(
          `Alarm ${silent.name} watches the backlog of rule ${rule.id} (${src.name} → ${path.destinationBucket}) but ${
            silent.actionsEnabled ? 'has no alarm action' : 'has its actions disabled'
          }: nobody would be told.`,
          silent.actionsEnabled
            ? `Give it an action: \`${command}\` (or add --alarm-actions to ${silent.name}).`
            : `Enable its actions: \`aws cloudwatch enable-alarm-actions --region ${src.region} --alarm-names ${shq(silent.name)}\`${
                silent.alarmActions.length === 0 ? `, and give it an action: \`${command}\`` : ''
              }.`,
          { ...scope, details: { alarm: silent.name } },
        );
      return results.nonCompliant(
        `No CloudWatch alarm with an action watches BytesPendingReplication or OperationsPendingReplication for rule ${rule.id} (SourceBucket ${src.name}, DestinationBucket ${path.destinationBucket}): a stalled replication would go unnoticed.`,
        `Run \`${command}\` (the metric needs replication metrics on the rule; tune the threshold to the write rate).`,
        scope,
      );
    }),
});
