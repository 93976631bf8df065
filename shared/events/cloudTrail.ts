/**
 * EventBridge "AWS API Call via CloudTrail" events for the S3, KMS and IAM calls that can break replication
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html and CloudTrail's record
 * contents). IAM is a global service: CloudTrail delivers its events in us-east-1 only, so a stack in
 * another Region receives them forwarded from us-east-1 with `region` us-east-1.
 */
import { z } from 'zod';
import { keyIdOf } from '../model/snapshot.js';
import { describeIssues, EventError, EventErrorCode } from './errors.js';

export { keyIdOf };

export const WATCHED_CALLS = {
  s3: [
    'PutBucketReplication',
    'DeleteBucketReplication',
    'PutBucketVersioning',
    'PutBucketEncryption',
    'DeleteBucketEncryption',
    'PutBucketPolicy',
    'DeleteBucketPolicy',
    'PutObjectLockConfiguration',
    'PutBucketNotification',
    'PutBucketNotificationConfiguration',
    'DeleteBucket',
  ],
  kms: ['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKey'],
  iam: [
    'PutRolePolicy',
    'DeleteRolePolicy',
    'AttachRolePolicy',
    'DetachRolePolicy',
    'UpdateAssumeRolePolicy',
    'PutRolePermissionsBoundary',
    'DeleteRolePermissionsBoundary',
    'DeleteRole',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
  ],
} as const;
export type WatchedService = keyof typeof WATCHED_CALLS;

/** S3 calls that change a bucket's own replication configuration (or remove the bucket): the reverse index must be refreshed. */
export const REPLICATION_CHANGING_CALLS: ReadonlySet<string> = new Set([
  'PutBucketReplication',
  'DeleteBucketReplication',
  'DeleteBucket',
]);

const SOURCES: Readonly<Record<string, WatchedService>> = {
  'aws.s3': 's3',
  'aws.kms': 'kms',
  'aws.iam': 'iam',
};

const resourceSchema = z.looseObject({
  ARN: z.string().optional(),
  accountId: z.string().optional(),
  type: z.string().optional(),
});

export const apiCallEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.enum(['aws.s3', 'aws.kms', 'aws.iam']),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  time: z.string().optional(),
  region: z.string().min(1),
  resources: z.array(z.unknown()).optional(),
  detail: z.looseObject({
    eventName: z.string().min(1),
    eventSource: z.string().optional(),
    awsRegion: z.string().optional(),
    eventTime: z.string().optional(),
    eventID: z.string().optional(),
    recipientAccountId: z.string().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
    resources: z.array(resourceSchema).optional(),
    userIdentity: z.looseObject({ arn: z.string().optional(), type: z.string().optional() }).optional(),
  }),
});
export type ApiCallEvent = z.input<typeof apiCallEventSchema>;

/** What the call touched, as far as ReplGuard cares. */
export type ApiCallTarget =
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'key'; readonly keyId: string; readonly keyArn?: string }
  | { readonly kind: 'role'; readonly roleName: string }
  | { readonly kind: 'policy'; readonly policyArn: string };

export interface ApiCall {
  readonly service: WatchedService;
  readonly eventName: string;
  /** The EventBridge event id (the correlation id of the invocation). */
  readonly eventId: string;
  /** The account the call was made in. */
  readonly accountId: string;
  /** The Region the event was delivered in (us-east-1 for IAM). */
  readonly eventRegion: string;
  /** The Region the call was made in (`detail.awsRegion`). */
  readonly callRegion: string;
  readonly time?: string;
  /** Who made the call (an ARN; safe to log). */
  readonly actor?: string;
  /** Set when the call failed: a failed call changed nothing. */
  readonly errorCode?: string;
  /** `undefined` when the call is not one ReplGuard watches or names no resource it can follow. */
  readonly target?: ApiCallTarget;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

const targetOf = (
  service: WatchedService,
  params: Readonly<Record<string, unknown>>,
  resources: readonly z.infer<typeof resourceSchema>[],
): ApiCallTarget | undefined => {
  if (service === 's3') {
    const arn = resources.find((r) => r.type === 'AWS::S3::Bucket')?.ARN;
    const bucket = text(params.bucketName) ?? (arn ? arn.replace(/^arn:aws[a-z-]*:s3:::/, '') : undefined);
    return bucket ? { kind: 'bucket', bucket } : undefined;
  }
  if (service === 'kms') {
    const keyArn = resources.find((r) => r.type === 'AWS::KMS::Key' && r.ARN)?.ARN;
    const ref = text(params.keyId) ?? keyArn;
    if (!ref) return undefined;
    return {
      kind: 'key',
      keyId: keyIdOf(keyArn ?? ref),
      ...(keyArn || ref.startsWith('arn:') ? { keyArn: keyArn ?? ref } : {}),
    };
  }
  const roleName = text(params.roleName);
  if (roleName) return { kind: 'role', roleName: roleName.split('/').pop() ?? roleName };
  const policyArn = text(params.policyArn);
  return policyArn ? { kind: 'policy', policyArn } : undefined;
};

/**
 * Validates an "AWS API Call via CloudTrail" event and extracts the call and its target.
 * Throws {@link EventError} `INVALID_EVENT` when the event is not one.
 */
export const parseApiCallEvent = (event: unknown): ApiCall => {
  const parsed = apiCallEventSchema.safeParse(event);
  if (!parsed.success)
    throw new EventError(
      'Not an "AWS API Call via CloudTrail" event',
      EventErrorCode.InvalidEvent,
      describeIssues(parsed.error),
    );
  const e = parsed.data;
  const service = SOURCES[e.source] as WatchedService;
  const d = e.detail;
  const watched = (WATCHED_CALLS[service] as readonly string[]).includes(d.eventName);
  const target = watched ? targetOf(service, d.requestParameters ?? {}, d.resources ?? []) : undefined;
  return {
    service,
    eventName: d.eventName,
    eventId: e.id,
    accountId: text(d.recipientAccountId) ?? e.account,
    eventRegion: e.region,
    callRegion: text(d.awsRegion) ?? e.region,
    ...((d.eventTime ?? e.time) ? { time: d.eventTime ?? e.time } : {}),
    ...(d.userIdentity?.arn ? { actor: d.userIdentity.arn } : {}),
    ...(d.errorCode ? { errorCode: d.errorCode } : {}),
    ...(target ? { target } : {}),
  };
};
