/**
 * A synthetic storm of S3 replication failure events, as SQS delivers them to onReplicationFailure: every
 * (bucket, reason) combination occurs, events are spread over time, half arrive SNS-wrapped. Deterministic
 * (seeded), so runs compare.
 */
import type { SqsEvent } from '../../shared/events/sqs.js';

export const STORM_REASONS = [
  'AssumeRoleNotPermitted',
  'DstBucketUnversioned',
  'DstKmsKeyInvalidState',
  'DstPutObjectNotPermitted',
  'SrcGetObjectNotPermitted',
] as const;

export interface StormPair {
  readonly bucket: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
  readonly accountId: string;
}

/** Park–Miller minimal standard generator: enough spread for a benchmark, fully reproducible. */
const seeded = (seed: number) => {
  let state = seed % 2147483647 || 1;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
};

const record = (pair: StormPair, reason: string, i: number, timeMs: number): Record<string, unknown> => ({
  eventVersion: '2.2',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
  eventTime: new Date(timeMs).toISOString(),
  eventName: 'Replication:OperationFailedReplication',
  userIdentity: { principalId: 's3.amazonaws.com' },
  requestParameters: { sourceIPAddress: 's3.amazonaws.com' },
  responseElements: { 'x-amz-request-id': `REQ${i}`, 'x-amz-id-2': 'EXAMPLE' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'replguard-replication-events',
    bucket: {
      name: pair.bucket,
      ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
      arn: `arn:aws:s3:::${pair.bucket}`,
    },
    object: {
      key: `patients/p${i % 5000}/scan-${i}.dcm`,
      size: 520080,
      eTag: 'e12345ca7e88a38428305d3ff7fcb99f',
      versionId: `v${i}`,
      sequencer: '0066DA1CBF104C0D51',
    },
  },
  replicationEventData: {
    replicationRuleId: pair.ruleId,
    destinationBucket: `arn:aws:s3:::${pair.destinationBucket}`,
    s3Operation: 'OBJECT_PUT',
    requestTime: new Date(timeMs - 30_000).toISOString(),
    failureReason: reason,
  },
});

/**
 * `count` SQS records over `pairs` × `reasons`: record `i` covers combination `i mod (pairs × reasons)` (so all
 * occur), in random order, one event per message, alternately raw and wrapped in an SNS envelope.
 */
export const stormRecords = (
  pairs: readonly StormPair[],
  count: number,
  reasons: readonly string[] = STORM_REASONS,
  seed = 42,
) => {
  const random = seeded(seed);
  const combos = pairs.length * reasons.length;
  const start = Date.parse('2025-03-04T21:00:00Z');
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order.map((i, position) => {
    const combo = i % combos;
    const pair = pairs[Math.floor(combo / reasons.length)] as StormPair;
    const message = { Records: [record(pair, reasons[combo % reasons.length] as string, i, start + i * 10)] };
    const body =
      position % 2 === 0
        ? message
        : {
            Type: 'Notification',
            MessageId: `sns-${i}`,
            TopicArn: `arn:aws:sns:us-east-1:${pair.accountId}:replication-events`,
            Subject: 'Amazon S3 Notification',
            Message: JSON.stringify(message),
            Timestamp: new Date(start + i * 10).toISOString(),
          };
    return {
      messageId: `storm-${i}`,
      receiptHandle: `rh-${i}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(start + i * 10) },
      messageAttributes: {},
      eventSource: 'aws:sqs' as const,
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:replguard-replication-events',
      awsRegion: 'us-east-1',
    };
  });
};

/** Splits records into SQS batch events of `size`. */
export const batches = (records: SqsEvent['Records'], size: number): SqsEvent[] =>
  Array.from({ length: Math.ceil(records.length / size) }, (_, i) => ({
    Records: records.slice(i * size, i * size + size),
  }));
