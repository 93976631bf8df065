import type {
  GetBucketNotificationConfigurationCommandOutput,
  ObjectLockConfiguration,
  ReplicationConfiguration as ApiReplicationConfiguration,
  ReplicationRule as ApiReplicationRule,
  ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import type {
  BucketEncryption,
  BucketNotifications,
  NotificationTarget,
  ObjectLockInfo,
  PolicyDocument,
  ReplicationConfiguration,
  ReplicationRule,
  RetentionMode,
  Toggle,
} from '../../model/snapshot.js';
import { arns } from '../../model/partition.js';

/** `arn:aws:s3:::name` → `name` (a bare name passes through). */
export const bucketNameFromArn = (arnOrName: string): string =>
  arnOrName.replace(/^arn:aws[a-z-]*:s3:::/, '');
export const bucketArn = (name: string, region = 'us-east-1'): string =>
  name.startsWith('arn:') ? name : arns.bucket(region, name);

/** Parses a policy document given as JSON text (or already parsed). */
export const parsePolicy = (text: unknown): PolicyDocument | null => {
  if (text === undefined || text === null || text === '') return null;
  const doc = typeof text === 'string' ? (JSON.parse(decodeURIComponentSafe(text)) as unknown) : text;
  if (typeof doc !== 'object' || doc === null || !('Statement' in doc)) return null;
  return doc as PolicyDocument;
};

/** IAM returns policy documents URL-encoded; S3 and KMS do not. */
const decodeURIComponentSafe = (text: string): string => {
  if (text.trimStart().startsWith('{')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const toggle = (value: unknown): Toggle | undefined =>
  value === 'Enabled' || value === 'Disabled' ? value : undefined;

export const normaliseEncryption = (
  config: ServerSideEncryptionConfiguration | undefined,
): BucketEncryption | null => {
  const rule = config?.Rules?.[0];
  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  if (!byDefault?.SSEAlgorithm) return null;
  return {
    algorithm: byDefault.SSEAlgorithm,
    ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
    bucketKeyEnabled: rule?.BucketKeyEnabled === true,
  };
};

export const normaliseObjectLock = (config: ObjectLockConfiguration | undefined): ObjectLockInfo | null => {
  if (!config) return null;
  const retention = config.Rule?.DefaultRetention;
  return {
    enabled: config.ObjectLockEnabled === 'Enabled',
    ...(retention?.Mode
      ? {
          defaultRetention: {
            mode: retention.Mode as RetentionMode,
            // 0 is not a valid period (some emulators return `Years: 0` beside `Days`): treat it as absent
            ...(retention.Days ? { days: retention.Days } : {}),
            ...(retention.Years ? { years: retention.Years } : {}),
          },
        }
      : {}),
  };
};

export const normaliseNotifications = (
  out: Pick<
    GetBucketNotificationConfigurationCommandOutput,
    | 'TopicConfigurations'
    | 'QueueConfigurations'
    | 'LambdaFunctionConfigurations'
    | 'EventBridgeConfiguration'
  >,
): BucketNotifications => {
  const targets: NotificationTarget[] = [
    ...(out.TopicConfigurations ?? []).map((c) => ({
      type: 'sns' as const,
      arn: c.TopicArn ?? '',
      events: c.Events ?? [],
    })),
    ...(out.QueueConfigurations ?? []).map((c) => ({
      type: 'sqs' as const,
      arn: c.QueueArn ?? '',
      events: c.Events ?? [],
    })),
    ...(out.LambdaFunctionConfigurations ?? []).map((c) => ({
      type: 'lambda' as const,
      arn: c.LambdaFunctionArn ?? '',
      events: c.Events ?? [],
    })),
  ];
  const configuration = Object.fromEntries(
    (
      [
        'TopicConfigurations',
        'QueueConfigurations',
        'LambdaFunctionConfigurations',
        'EventBridgeConfiguration',
      ] as const
    ).flatMap((k) => (out[k] !== undefined ? [[k, out[k]]] : [])),
  );
  return { targets, eventBridgeEnabled: out.EventBridgeConfiguration !== undefined, configuration };
};

const normaliseRule = (r: ApiReplicationRule, index: number): ReplicationRule => {
  const d = r.Destination;
  const and = r.Filter?.And;
  const prefix = and?.Prefix ?? r.Filter?.Prefix ?? r.Prefix;
  const tags = and?.Tags ?? (r.Filter?.Tag ? [r.Filter.Tag] : undefined);
  const bucket = d?.Bucket ?? '';
  const metrics = toggle(d?.Metrics?.Status);
  const rtc = toggle(d?.ReplicationTime?.Status);
  const dmr = toggle(r.DeleteMarkerReplication?.Status);
  const sse = toggle(r.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status);
  const mods = toggle(r.SourceSelectionCriteria?.ReplicaModifications?.Status);
  const existing = toggle(r.ExistingObjectReplication?.Status);
  return {
    id: r.ID ?? `rule-${index + 1}`,
    ...(r.Priority !== undefined ? { priority: r.Priority } : {}),
    status: toggle(r.Status) ?? 'Disabled',
    filter: {
      ...(prefix !== undefined ? { prefix } : {}),
      ...(tags ? { tags: tags.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })) } : {}),
    },
    ...(dmr ? { deleteMarkerReplication: dmr } : {}),
    ...(sse ? { sseKmsEncryptedObjects: sse } : {}),
    ...(mods ? { replicaModifications: mods } : {}),
    ...(existing ? { existingObjectReplication: existing } : {}),
    destination: {
      bucketArn: bucketArn(bucket),
      bucket: bucketNameFromArn(bucket),
      ...(d?.Account ? { account: d.Account } : {}),
      ...(d?.StorageClass ? { storageClass: d.StorageClass } : {}),
      ...(d?.AccessControlTranslation?.Owner
        ? { accessControlTranslationOwner: d.AccessControlTranslation.Owner }
        : {}),
      ...(d?.EncryptionConfiguration?.ReplicaKmsKeyID
        ? { replicaKmsKeyId: d.EncryptionConfiguration.ReplicaKmsKeyID }
        : {}),
      ...(metrics
        ? {
            metrics: {
              status: metrics,
              ...(d?.Metrics?.EventThreshold?.Minutes !== undefined
                ? { eventThresholdMinutes: d.Metrics.EventThreshold.Minutes }
                : {}),
            },
          }
        : {}),
      ...(rtc
        ? {
            replicationTime: {
              status: rtc,
              ...(d?.ReplicationTime?.Time?.Minutes !== undefined
                ? { minutes: d.ReplicationTime.Time.Minutes }
                : {}),
            },
          }
        : {}),
    },
  };
};

export const normaliseReplication = (
  config: ApiReplicationConfiguration | undefined,
): ReplicationConfiguration | null =>
  config ? { role: config.Role ?? '', rules: (config.Rules ?? []).map(normaliseRule) } : null;
