/**
 * Normalisers for the `supplementaryConfiguration` entries of an AWS Config `AWS::S3::Bucket` item, into the
 * same shapes the live S3 readers produce. Each returns `undefined` when the entry does not say (the caller
 * then records the datum as not in the configuration item). Pure: no AWS SDK.
 */
import type {
  BucketEncryption,
  BucketNotifications,
  NotificationTarget,
  ObjectLockInfo,
  PolicyDocument,
  RetentionMode,
  VersioningStatus,
} from '../../model/snapshot.js';
import { asArray, asBoolean, asNumber, asObject, asString, field, hasField } from './configValues.js';
import { parsePolicy } from './s3Api.js';

/** `BucketVersioningConfiguration.status`: `Off`, `Enabled`, `Suspended` (any casing). */
export const versioningFromConfig = (entry: unknown): VersioningStatus | undefined => {
  if (!asObject(entry)) return undefined;
  const status = asString(field(entry, 'status'))?.toLowerCase();
  if (status === 'enabled') return 'Enabled';
  if (status === 'suspended') return 'Suspended';
  if (status === 'off' || (status === undefined && hasField(entry, 'status'))) return 'Off';
  return undefined;
};

/** `ServerSideEncryptionConfiguration.rules[].applyServerSideEncryptionByDefault` and `bucketKeyEnabled`. */
export const encryptionFromConfig = (entry: unknown): BucketEncryption | null | undefined => {
  if (!asObject(entry)) return undefined;
  const rules = asArray(field(entry, 'rules'));
  if (rules === undefined) return hasField(entry, 'rules') ? null : undefined;
  for (const rule of rules) {
    const byDefault = field(rule, 'applyServerSideEncryptionByDefault');
    const algorithm = asString(field(byDefault, 'sseAlgorithm', 'SSEAlgorithm'));
    if (!algorithm) continue;
    const kmsKeyId = asString(field(byDefault, 'kmsMasterKeyID', 'kmsMasterKeyId', 'KMSMasterKeyID'));
    return {
      algorithm,
      ...(kmsKeyId ? { kmsKeyId } : {}),
      bucketKeyEnabled: asBoolean(field(rule, 'bucketKeyEnabled')) === true,
    };
  }
  return null;
};

const retentionMode = (value: unknown): RetentionMode | undefined => {
  const mode = asString(value)?.toUpperCase();
  return mode === 'GOVERNANCE' || mode === 'COMPLIANCE' ? mode : undefined;
};

/** `ObjectLockConfiguration`: `objectLockEnabled` and `rule.defaultRetention.{mode,days,years}`. */
export const objectLockFromConfig = (entry: unknown): ObjectLockInfo | null | undefined => {
  if (!asObject(entry)) return undefined;
  const enabledValue = field(entry, 'objectLockEnabled');
  const enabled = asString(enabledValue)?.toLowerCase() === 'enabled' || asBoolean(enabledValue) === true;
  const retention = field(field(entry, 'rule'), 'defaultRetention');
  const mode = retentionMode(field(retention, 'mode'));
  const days = asNumber(field(retention, 'days'));
  const years = asNumber(field(retention, 'years'));
  if (!enabled && !mode) return null;
  return {
    enabled,
    ...(mode
      ? {
          defaultRetention: {
            mode,
            ...(days !== undefined && days > 0 ? { days } : {}),
            ...(years !== undefined && years > 0 ? { years } : {}),
          },
        }
      : {}),
  };
};

/** `BucketPolicy.policyText` (JSON text, or `null` when the bucket has no policy). */
export const policyFromConfig = (entry: unknown): PolicyDocument | null | undefined => {
  if (!asObject(entry) || !hasField(entry, 'policyText')) return undefined;
  const text = field(entry, 'policyText');
  return text === undefined ? null : parsePolicy(text);
};

const TARGETS: Readonly<Record<string, { type: NotificationTarget['type']; arnFields: string[] }>> = {
  queueconfiguration: { type: 'sqs', arnFields: ['queueARN', 'queueArn', 'queue'] },
  topicconfiguration: { type: 'sns', arnFields: ['topicARN', 'topicArn', 'topic'] },
  lambdaconfiguration: { type: 'lambda', arnFields: ['functionARN', 'functionArn', 'lambdaFunctionArn'] },
  cloudfunctionconfiguration: { type: 'lambda', arnFields: ['cloudFunctionARN', 'cloudFunction'] },
};

/** The type of one notification entry: its `type`, or which ARN field it carries. */
const targetOf = (config: unknown): { type: NotificationTarget['type']; arn: string } | undefined => {
  const declared = asString(field(config, 'type'))?.toLowerCase();
  const candidates = declared && TARGETS[declared] ? [TARGETS[declared]] : Object.values(TARGETS);
  for (const candidate of candidates) {
    const arn = asString(field(config, ...candidate.arnFields));
    if (arn) return { type: candidate.type, arn };
  }
  return undefined;
};

/** `BucketNotificationConfiguration.configurations`: a map (or list) of Queue/Topic/Lambda configurations. */
export const notificationsFromConfig = (entry: unknown): BucketNotifications | undefined => {
  if (!asObject(entry)) return undefined;
  const configurations = field(entry, 'configurations');
  const list = asArray(configurations) ?? Object.values(asObject(configurations) ?? {});
  if (configurations === undefined && !hasField(entry, 'configurations')) return undefined;
  const targets: NotificationTarget[] = [];
  for (const config of list) {
    const target = targetOf(config);
    if (!target) continue;
    const events = (asArray(field(config, 'events')) ?? []).filter((e): e is string => typeof e === 'string');
    targets.push({ ...target, events });
  }
  const eventBridge = field(entry, 'eventBridgeConfiguration');
  return { targets, eventBridgeEnabled: eventBridge !== undefined && asBoolean(eventBridge) !== false };
};

/** Tags from the item's `tags` map and/or `BucketTaggingConfiguration.tagSets[].tags`; `undefined` when neither is there. */
export const tagsFromConfig = (
  itemTags: unknown,
  taggingEntry: unknown,
): Readonly<Record<string, string>> | undefined => {
  const fromItem = asObject(itemTags);
  const tagSets = asArray(field(taggingEntry, 'tagSets'));
  if (!fromItem && !tagSets) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(fromItem ?? {})) if (typeof v === 'string') tags[k] = v;
  for (const set of tagSets ?? []) {
    const map = field(set, 'tags');
    const list = asArray(map);
    if (list) {
      for (const t of list) {
        const key = asString(field(t, 'key'));
        if (key) tags[key] = asString(field(t, 'value')) ?? '';
      }
    } else {
      for (const [k, v] of Object.entries(asObject(map) ?? {})) if (typeof v === 'string') tags[k] = v;
    }
  }
  return tags;
};
