import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { NotificationTarget } from '../../../shared/model/snapshot.js';
import { failureNotificationsConfigured } from '../../../shared/rules/failure_notifications_configured.js';
import {
  denied,
  firstRule,
  QUEUE_ARN,
  SRC_ACCOUNT,
  SRC_REGION,
  TOPIC_ARN,
  variant,
} from '../../fixtures/snapshots.js';
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

  it('adds the failure notification to a new topic S3 may publish to, keeping existing configurations', () => {
    const [result] = failureNotificationsConfigured.evaluate(
      variant(targets([{ type: 'sqs', arn: QUEUE_ARN, events: ['s3:ObjectCreated:*'] }], true)),
    );
    const topic = 'arn:aws:sns:us-east-1:111111111111:replguard-replication-events';
    const fix = result?.remediation ?? '';
    expect(fix).toContain(
      `Send s3:Replication:OperationFailedReplication events of phi-prod to SNS topic ${topic}`,
    );
    expect(fix).toContain('keeping the existing notifications');
    expect(fix).toContain('replication metrics');
    // Keeping the SQS configuration and EventBridge is the fix planner's merge: the rule adds one topic
    // configuration and names the topic it needs.
    expect(result?.changes).toEqual([
      {
        kind: 'topic',
        name: 'replguard-replication-events',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        publishers: ['arn:aws:s3:::phi-prod'],
      },
      {
        kind: 'notification',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        id: 'replguard-replication-failures',
        topicArn: topic,
        events: ['s3:Replication:OperationFailedReplication'],
      },
    ]);
  });
});
