/**
 * S3 `s3:Replication:*` event notifications as they reach ReplGuard's queue: the S3 message itself (S3 →
 * SQS, or SNS → SQS with raw message delivery), the same message inside an SNS envelope (SNS → SQS without
 * raw delivery), or S3's `s3:TestEvent` sent when a notification configuration is saved. Record shape:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html plus
 * `replicationEventData` (replication-metrics-events.html).
 */
import { z } from 'zod';
import { describeIssues, EventError, EventErrorCode, parseJsonText } from './errors.js';

export const ReplicationEventType = {
  Failed: 'OperationFailedReplication',
  MissedThreshold: 'OperationMissedThreshold',
  ReplicatedAfterThreshold: 'OperationReplicatedAfterThreshold',
  NotTracked: 'OperationNotTracked',
} as const;
export type ReplicationEventType = (typeof ReplicationEventType)[keyof typeof ReplicationEventType];

const TYPES: ReadonlySet<string> = new Set(Object.values(ReplicationEventType));

/** The reason recorded when a failure event carries none. */
export const UNSPECIFIED_REASON = 'Unspecified';

const replicationDataSchema = z.looseObject({
  replicationRuleId: z.string().min(1),
  destinationBucket: z.string().min(1),
  s3Operation: z.string().optional(),
  requestTime: z.string().optional(),
  failureReason: z.string().optional(),
  threshold: z.union([z.string(), z.number()]).optional(),
  replicationTime: z.union([z.string(), z.number()]).optional(),
});

const recordSchema = z.looseObject({
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string().min(1),
  eventTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time'),
  eventName: z.string().min(1),
  s3: z.looseObject({
    bucket: z.looseObject({
      name: z.string().min(1),
      arn: z.string().optional(),
      ownerIdentity: z.looseObject({ principalId: z.string().optional() }).optional(),
    }),
    object: z.looseObject({
      key: z.string(),
      size: z.number().optional(),
      versionId: z.string().optional().nullable(),
    }),
  }),
  replicationEventData: replicationDataSchema.optional(),
});

/** One replication event, normalised. `objectKey` is the raw (decoded) key: sensitive, never log it. */
export interface ReplicationEvent {
  readonly type: ReplicationEventType;
  readonly region: string;
  readonly eventTimeMs: number;
  readonly sourceBucket: string;
  /** The bucket owner's id as S3 gives it (a 12-digit account id in some deliveries). */
  readonly ownerId?: string;
  readonly objectKey: string;
  readonly replicationRuleId: string;
  /** Destination bucket name (the event gives its ARN). */
  readonly destinationBucket: string;
  readonly s3Operation?: string;
  /** `failureReason` of a failure event (`Unspecified` when absent). */
  readonly failureReason?: string;
}

export type ReplicationMessage =
  | { readonly kind: 'test'; readonly bucket?: string }
  | {
      readonly kind: 'records';
      readonly events: readonly ReplicationEvent[];
      /** Records that are not replication events (other notification types sharing the queue). */
      readonly ignored: number;
      /** The SNS topic that delivered it, when wrapped (its account owns the source bucket). */
      readonly topicArn?: string;
    };

/** `Replication:OperationFailedReplication` or `s3:Replication:…` → the event type, or undefined. */
export const replicationTypeOf = (eventName: string): ReplicationEventType | undefined => {
  const name = eventName.replace(/^s3:/, '').replace(/^Replication:/, '');
  return TYPES.has(name) ? (name as ReplicationEventType) : undefined;
};

/** S3 URL-encodes keys in notifications, with `+` for spaces. */
export const decodeObjectKey = (key: string): string => {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
};

const bucketName = (arnOrName: string): string => arnOrName.replace(/^arn:aws[a-z-]*:s3:::/, '');

const toEvent = (raw: unknown, index: number): ReplicationEvent | undefined => {
  const type =
    typeof raw === 'object' && raw !== null && typeof (raw as { eventName?: unknown }).eventName === 'string'
      ? replicationTypeOf((raw as { eventName: string }).eventName)
      : undefined;
  if (!type) return undefined;
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success)
    throw new EventError(
      'Malformed S3 replication record',
      EventErrorCode.InvalidMessage,
      describeIssues(parsed.error, `Records.${index}`),
    );
  const r = parsed.data;
  const data = r.replicationEventData;
  if (!data && type !== ReplicationEventType.NotTracked)
    throw new EventError('Malformed S3 replication record', EventErrorCode.InvalidMessage, [
      `Records.${index}.replicationEventData: required for ${type}`,
    ]);
  const owner = r.s3.bucket.ownerIdentity?.principalId;
  return {
    type,
    region: r.awsRegion,
    eventTimeMs: Date.parse(r.eventTime),
    sourceBucket: r.s3.bucket.name,
    ...(owner ? { ownerId: owner } : {}),
    objectKey: decodeObjectKey(r.s3.object.key),
    replicationRuleId: data?.replicationRuleId ?? '',
    destinationBucket: data ? bucketName(data.destinationBucket) : '',
    ...(data?.s3Operation ? { s3Operation: data.s3Operation } : {}),
    ...(type === ReplicationEventType.Failed
      ? { failureReason: data?.failureReason?.trim() || UNSPECIFIED_REASON }
      : {}),
  };
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const fromS3Message = (message: Record<string, unknown>, topicArn?: string): ReplicationMessage => {
  if (message.Event === 's3:TestEvent')
    return { kind: 'test', ...(typeof message.Bucket === 'string' ? { bucket: message.Bucket } : {}) };
  if (!Array.isArray(message.Records))
    throw new EventError('Not an S3 event notification', EventErrorCode.InvalidMessage, [
      'Records: expected an array',
    ]);
  const events: ReplicationEvent[] = [];
  let ignored = 0;
  message.Records.forEach((raw, i) => {
    const event = toEvent(raw, i);
    if (event) events.push(event);
    else ignored += 1;
  });
  return { kind: 'records', events, ignored, ...(topicArn ? { topicArn } : {}) };
};

/**
 * Reads one queue message body: a raw S3 notification, an SNS envelope around one (`Type` Notification,
 * `Message` JSON text), or `s3:TestEvent`. Throws {@link EventError} `INVALID_MESSAGE` naming what is wrong,
 * never quoting the body.
 */
export const parseReplicationMessage = (body: string): ReplicationMessage => {
  const outer = parseJsonText(body, 'Message body', EventErrorCode.InvalidMessage);
  if (!isObject(outer))
    throw new EventError('Message body is not a JSON object', EventErrorCode.InvalidMessage);
  if (outer.Type === 'Notification' && typeof outer.Message === 'string') {
    const inner = parseJsonText(outer.Message, 'SNS Message', EventErrorCode.InvalidMessage);
    if (!isObject(inner))
      throw new EventError('SNS Message is not a JSON object', EventErrorCode.InvalidMessage);
    return fromS3Message(inner, typeof outer.TopicArn === 'string' ? outer.TopicArn : undefined);
  }
  return fromS3Message(outer);
};
