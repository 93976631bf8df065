import { arns } from '../model/partition.js';
import type { NotificationTarget } from '../model/snapshot.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

const FAILED = 's3:Replication:OperationFailedReplication';
const ALL_REPLICATION = 's3:Replication:*';

const receivesFailures = (t: NotificationTarget): boolean =>
  t.type !== 'eventbridge' && t.events.some((e) => e === FAILED || e === ALL_REPLICATION);

/** Failed replications are reported only as s3:Replication events, and only to SNS, SQS or Lambda. */
export const failureNotificationsConfigured = defineRule({
  id: 'failure_notifications_configured',
  title: 'Replication failures are sent to SNS, SQS or Lambda',
  problem: 'replication failures not notified',
  severity: 'HIGH',
  hipaa: [Hipaa.IncidentResponse],
  remediation: {
    text: "Add an event notification for s3:Replication:OperationFailedReplication to an SNS topic, SQS queue or Lambda function in the bucket's Region (EventBridge does not receive replication events).",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html',
  },
  permissions: ['s3:GetBucketNotification', 's3:GetReplicationConfiguration'],
  evaluate(snapshot) {
    const results = resultsFor(failureNotificationsConfigured, snapshot);
    const src = snapshot.source;
    const replication = need(src.replication, `the replication configuration of ${src.name}`, results);
    if (!replication.ok) return [replication.result];
    if (!replication.value?.rules.some((r) => r.status === 'Enabled'))
      return [results.notApplicable(`${src.name} has no enabled replication rule.`)];
    const notifications = need(src.notifications, `the event notifications of ${src.name}`, results);
    if (!notifications.ok) return [notifications.result];
    const target = notifications.value.targets.find(receivesFailures);
    if (target)
      return [
        results.compliant(
          `${src.name} sends replication failures to ${target.type.toUpperCase()} ${target.arn}.`,
        ),
      ];
    const topicName = 'replguard-replication-events';
    const topic = arns.topic(src.region, src.accountId, topicName);
    const why = notifications.value.eventBridgeEnabled
      ? ' EventBridge is enabled on the bucket, but S3 does not send replication events to EventBridge.'
      : '';
    return [
      results.nonCompliant(
        `${src.name} sends no s3:Replication:OperationFailedReplication events to SNS, SQS or Lambda: failed replications of PHI go unnoticed.${why}`,
        `Send ${FAILED} events of ${src.name} to SNS topic ${topic} (created, with a policy letting S3 publish from the bucket), keeping the existing notifications; subscribe on-call or ReplGuard's replication events queue to it. Failure events need replication metrics on the rules.`,
        {
          changes: [
            {
              kind: 'topic',
              name: topicName,
              accountId: src.accountId,
              region: src.region,
              publishers: [src.arn],
            },
            {
              kind: 'notification',
              bucket: src.name,
              accountId: src.accountId,
              region: src.region,
              id: 'replguard-replication-failures',
              topicArn: topic,
              events: [FAILED],
            },
          ],
        },
      ),
    ];
  },
});
