import type { BucketNotifications, NotificationTarget } from '../model/snapshot.js';
import { shJson, shq } from '../support/shell.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

const FAILED = 's3:Replication:OperationFailedReplication';
const ALL_REPLICATION = 's3:Replication:*';

const receivesFailures = (t: NotificationTarget): boolean =>
  t.type !== 'eventbridge' && t.events.some((e) => e === FAILED || e === ALL_REPLICATION);

const KEY: Readonly<Record<string, { list: string; arn: string }>> = {
  sns: { list: 'TopicConfigurations', arn: 'TopicArn' },
  sqs: { list: 'QueueConfigurations', arn: 'QueueArn' },
  lambda: { list: 'LambdaFunctionConfigurations', arn: 'LambdaFunctionArn' },
};

/** The whole notification configuration with a replication-failure topic added (the call replaces it). */
const withFailureTopic = (current: BucketNotifications, topicArn: string): Record<string, unknown> => {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of current.targets) {
    const k = KEY[t.type];
    if (k) (out[k.list] ??= []).push({ [k.arn]: t.arn, Events: t.events });
  }
  (out.TopicConfigurations ??= []).push({
    Id: 'replguard-replication-failures',
    TopicArn: topicArn,
    Events: [FAILED],
  });
  return { ...out, ...(current.eventBridgeEnabled ? { EventBridgeConfiguration: {} } : {}) };
};

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
    const topic = `arn:aws:sns:${src.region}:${src.accountId}:replguard-replication-events`;
    const topicPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: topic,
          Condition: {
            ArnLike: { 'aws:SourceArn': src.arn },
            StringEquals: { 'aws:SourceAccount': src.accountId },
          },
        },
      ],
    };
    const steps = [
      `Create the topic and let S3 publish to it: \`aws sns create-topic --region ${src.region} --name replguard-replication-events\`,`,
      `\`aws sns set-topic-attributes --region ${src.region} --topic-arn ${topic} --attribute-name Policy --attribute-value ${shJson(topicPolicy)}\`;`,
      `then add the notification, keeping the existing ones: \`aws s3api put-bucket-notification-configuration --bucket ${shq(
        src.name,
      )} --notification-configuration ${shJson(withFailureTopic(notifications.value, topic))}\`${
        notifications.value.targets.length > 0
          ? ' (the existing configurations are listed without their Id and filters: merge them from `aws s3api get-bucket-notification-configuration`).'
          : '.'
      }`,
      'Failure events need replication metrics on the rules.',
    ];
    const why = notifications.value.eventBridgeEnabled
      ? ' EventBridge is enabled on the bucket, but S3 does not send replication events to EventBridge.'
      : '';
    return [
      results.nonCompliant(
        `${src.name} sends no s3:Replication:OperationFailedReplication events to SNS, SQS or Lambda: failed replications of PHI go unnoticed.${why}`,
        steps.join(' '),
      ),
    ];
  },
});
