import type { Change } from '../model/fix.js';
import { arns } from '../model/partition.js';
import type { Snapshot } from '../model/snapshot.js';
import { notifies, pendingAlarmChange, watchesPending } from './lib/alarms.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

const ALERTS_TOPIC = 'replguard-replication-alerts';

/**
 * An action to reuse: one of an existing replication alarm's, else an SNS topic the bucket already notifies,
 * else ReplGuard's own alerts topic (created by the fix; subscribe on-call to it).
 */
const alarmAction = (snapshot: Snapshot): { arn: string; create: Change[] } => {
  const alarms = snapshot.alarms.known ? snapshot.alarms.value : [];
  const existing = alarms.find(notifies)?.alarmActions[0];
  const notifications = snapshot.source.notifications;
  const topic = notifications.known
    ? notifications.value.targets.find((t) => t.type === 'sns')?.arn
    : undefined;
  const { region, accountId } = snapshot.source;
  if (existing ?? topic) return { arn: (existing ?? topic) as string, create: [] };
  return {
    arn: arns.topic(region, accountId, ALERTS_TOPIC),
    create: [{ kind: 'topic', name: ALERTS_TOPIC, accountId, region, publishers: [] }],
  };
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
      const action = alarmAction(snapshot);
      const ours = [...action.create, pendingAlarmChange(path, src.region, src.accountId, action.arn)];
      if (silent)
        return results.nonCompliant(
          `Alarm ${silent.name} watches the backlog of rule ${rule.id} (${src.name} → ${path.destinationBucket}) but ${
            silent.actionsEnabled ? 'has no alarm action' : 'has its actions disabled'
          }: nobody would be told.`,
          silent.actionsEnabled || silent.alarmActions.length === 0
            ? `Add a backlog alarm that notifies ${action.arn} next to ${silent.name}${
                silent.actionsEnabled ? '' : ' (and enable its actions)'
              }.`
            : `Enable the actions of ${silent.name}.`,
          {
            ...scope,
            details: { alarm: silent.name },
            changes: [
              ...(silent.actionsEnabled
                ? []
                : [
                    {
                      kind: 'alarm-actions' as const,
                      accountId: src.accountId,
                      region: src.region,
                      alarmName: silent.name,
                    },
                  ]),
              ...(silent.actionsEnabled || silent.alarmActions.length === 0 ? ours : []),
            ],
          },
        );
      return results.nonCompliant(
        `No CloudWatch alarm with an action watches BytesPendingReplication or OperationsPendingReplication for rule ${rule.id} (SourceBucket ${src.name}, DestinationBucket ${path.destinationBucket}): a stalled replication would go unnoticed.`,
        `Add an alarm on OperationsPendingReplication of the rule that notifies ${action.arn} (the metric needs replication metrics on the rule; tune the threshold to the write rate).`,
        { ...scope, changes: ours },
      );
    }),
});
