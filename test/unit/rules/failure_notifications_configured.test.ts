import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { NotificationTarget } from '../../../shared/model/snapshot.js';
import { failureNotificationsConfigured } from '../../../shared/rules/failure_notifications_configured.js';
import { denied, firstRule, QUEUE_ARN, TOPIC_ARN, variant } from '../../fixtures/snapshots.js';
import { type Case, mutable } from './secondDestination.js';

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:on-replication-failure';
const targets =
  (list: NotificationTarget[], eventBridgeEnabled = false) =>
  (s: Parameters<Case[1]>[0]) =>
    void (s.source.notifications = known(mutable({ targets: list, eventBridgeEnabled })));

describe('failure_notifications_configured', () => {
  it.each<Case>([
    ['s3:Replication:* to SQS', () => {}, 'COMPLIANT', /SQS/],
    [
      'OperationFailedReplication to SNS',
      targets([{ type: 'sns', arn: TOPIC_ARN, events: ['s3:Replication:OperationFailedReplication'] }]),
      'COMPLIANT',
      /SNS/,
    ],
    [
      'OperationFailedReplication to Lambda',
      targets([{ type: 'lambda', arn: LAMBDA_ARN, events: ['s3:Replication:OperationFailedReplication'] }]),
      'COMPLIANT',
    ],
    ['no notifications', targets([]), 'NON_COMPLIANT', /no s3:Replication:OperationFailedReplication events/],
    [
      'only EventBridge',
      targets([], true),
      'NON_COMPLIANT',
      /S3 does not send replication events to EventBridge/,
    ],
    [
      'other replication events only',
      targets([{ type: 'sqs', arn: QUEUE_ARN, events: ['s3:Replication:OperationMissedThreshold'] }]),
      'NON_COMPLIANT',
    ],
    [
      'object events only',
      targets([{ type: 'sqs', arn: QUEUE_ARN, events: ['s3:ObjectCreated:*'] }]),
      'NON_COMPLIANT',
    ],
    [
      'unreadable notifications',
      (s) => void (s.source.notifications = denied('s3:GetBucketNotification')),
      'UNKNOWN',
      /s3:GetBucketNotification/,
    ],
    [
      'unreadable replication configuration',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      'UNKNOWN',
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
    ['only disabled rules', (s) => void (firstRule(s).status = 'Disabled'), 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const results = failureNotificationsConfigured.evaluate(variant(change));
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe(status);
    if (message) expect(results[0]?.message).toMatch(message);
  });

  it('adds the failure notification while keeping existing configurations and EventBridge', () => {
    const [result] = failureNotificationsConfigured.evaluate(
      variant(targets([{ type: 'sqs', arn: QUEUE_ARN, events: ['s3:ObjectCreated:*'] }], true)),
    );
    const fix = result?.remediation ?? '';
    expect(fix).toContain('aws sns create-topic --region us-east-1 --name replguard-replication-events');
    expect(fix).toContain('"aws:SourceArn":"arn:aws:s3:::phi-prod"');
    expect(fix).toContain(
      `aws s3api put-bucket-notification-configuration --bucket phi-prod --notification-configuration '{"QueueConfigurations":[{"QueueArn":"${QUEUE_ARN}","Events":["s3:ObjectCreated:*"]}],"TopicConfigurations":[{"Id":"replguard-replication-failures","TopicArn":"arn:aws:sns:us-east-1:111111111111:replguard-replication-events","Events":["s3:Replication:OperationFailedReplication"]}],"EventBridgeConfiguration":{}}'`,
    );
    expect(fix).toContain('get-bucket-notification-configuration');
  });
});
