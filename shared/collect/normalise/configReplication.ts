/**
 * `BucketReplicationConfiguration` of an AWS Config `AWS::S3::Bucket` item → the replication model.
 * Config writes `{ roleARN, rules: { <ruleId>: { prefix, filter, status, priority, destinationConfig: { bucketARN,
 * account, storageClass, encryptionConfiguration: { replicaKmsKeyID }, metrics, replicationTime,
 * accessControlTranslation }, sourceSelectionCriteria, deleteMarkerReplication, existingObjectReplication } } }`.
 * The rules may also come as a list with `id`, and names in any casing. Pure: no AWS SDK.
 */
import type {
  ReplicationConfiguration,
  ReplicationDestination,
  ReplicationFilter,
  ReplicationRule,
  Toggle,
} from '../../model/snapshot.js';
import { asArray, asNumber, asObject, asString, field, hasField, statusOf } from './configValues.js';
import { bucketArn, bucketNameFromArn } from './s3Api.js';

type Tag = { readonly key: string; readonly value: string };

const tagOf = (value: unknown): Tag | undefined => {
  const key = asString(field(value, 'key'));
  return key === undefined ? undefined : { key, value: asString(field(value, 'value')) ?? '' };
};

/** Collects prefix and tags from one filter predicate (Config's `{ type, prefix | tag | operands }` or the API's shape). */
const collectPredicate = (predicate: unknown, into: { prefix?: string; tags: Tag[] }): void => {
  const obj = asObject(predicate);
  if (!obj) return;
  const prefix = field(obj, 'prefix');
  if (typeof prefix === 'string') into.prefix = prefix;
  const tag = tagOf(field(obj, 'tag'));
  if (tag) into.tags.push(tag);
  for (const t of asArray(field(obj, 'tags')) ?? []) {
    const parsed = tagOf(t);
    if (parsed) into.tags.push(parsed);
  }
  for (const operand of asArray(field(obj, 'operands')) ?? []) collectPredicate(operand, into);
  const and = field(obj, 'and');
  if (and !== undefined) collectPredicate(and, into);
  const nested = field(obj, 'predicate');
  if (nested !== undefined) collectPredicate(nested, into);
};

/** The rule's filter: `filter.predicate` (Config), `filter` (API shape) or the legacy rule-level `prefix`. */
export const filterFromConfig = (rule: unknown): ReplicationFilter => {
  const collected: { prefix?: string; tags: Tag[] } = { tags: [] };
  const filter = field(rule, 'filter');
  if (filter !== undefined) collectPredicate(filter, collected);
  if (collected.prefix === undefined) {
    const legacy = field(rule, 'prefix');
    if (typeof legacy === 'string') collected.prefix = legacy;
  }
  return {
    ...(collected.prefix !== undefined ? { prefix: collected.prefix } : {}),
    ...(collected.tags.length > 0 ? { tags: collected.tags } : {}),
  };
};

const destinationFromConfig = (rule: unknown): ReplicationDestination => {
  const d = field(rule, 'destinationConfig', 'destination');
  const bucket = asString(field(d, 'bucketARN', 'bucket')) ?? '';
  const account = asString(field(d, 'account', 'accountId'));
  const storageClass = asString(field(d, 'storageClass'));
  const owner = asString(field(field(d, 'accessControlTranslation'), 'owner'));
  const replicaKmsKeyId =
    asString(field(field(d, 'encryptionConfiguration'), 'replicaKmsKeyID')) ??
    asString(field(d, 'replicaKmsKeyID')) ??
    asString(field(rule, 'replicaKmsKeyID'));
  const metrics = field(d, 'metrics');
  const metricsStatus = statusOf(metrics);
  const threshold = asNumber(field(field(metrics, 'eventThreshold'), 'minutes'));
  const rtc = field(d, 'replicationTime');
  const rtcStatus = statusOf(rtc);
  const rtcMinutes = asNumber(field(field(rtc, 'time'), 'minutes'));
  return {
    bucketArn: bucketArn(bucket),
    bucket: bucketNameFromArn(bucket),
    ...(account ? { account } : {}),
    ...(storageClass ? { storageClass } : {}),
    ...(owner ? { accessControlTranslationOwner: owner } : {}),
    ...(replicaKmsKeyId ? { replicaKmsKeyId } : {}),
    ...(metricsStatus
      ? {
          metrics: {
            status: metricsStatus,
            ...(threshold !== undefined ? { eventThresholdMinutes: threshold } : {}),
          },
        }
      : {}),
    ...(rtcStatus
      ? {
          replicationTime: {
            status: rtcStatus,
            ...(rtcMinutes !== undefined ? { minutes: rtcMinutes } : {}),
          },
        }
      : {}),
  };
};

const optionalToggle = <K extends string>(key: K, value: Toggle | undefined): Partial<Record<K, Toggle>> =>
  (value ? { [key]: value } : {}) as Partial<Record<K, Toggle>>;

/** One rule; `fallbackId` is the map key it was stored under (or its position). */
export const ruleFromConfig = (rule: unknown, fallbackId: string): ReplicationRule => {
  const criteria = field(rule, 'sourceSelectionCriteria');
  const priority = asNumber(field(rule, 'priority'));
  return {
    id: asString(field(rule, 'id')) ?? fallbackId,
    ...(priority !== undefined ? { priority } : {}),
    status: statusOf(field(rule, 'status')) ?? 'Disabled',
    filter: filterFromConfig(rule),
    ...optionalToggle('deleteMarkerReplication', statusOf(field(rule, 'deleteMarkerReplication'))),
    ...optionalToggle('sseKmsEncryptedObjects', statusOf(field(criteria, 'sseKmsEncryptedObjects'))),
    ...optionalToggle('replicaModifications', statusOf(field(criteria, 'replicaModifications'))),
    ...optionalToggle('existingObjectReplication', statusOf(field(rule, 'existingObjectReplication'))),
    destination: destinationFromConfig(rule),
  };
};

/**
 * The replication configuration, `null` when the entry records none (no rules), `undefined` when the entry
 * is not an object at all.
 */
export const replicationFromConfig = (entry: unknown): ReplicationConfiguration | null | undefined => {
  const obj = asObject(entry);
  if (!obj) return undefined;
  const rulesValue = field(obj, 'rules');
  const list = asArray(rulesValue);
  const rules = list
    ? list.map((r, i) => ruleFromConfig(r, `rule-${i + 1}`))
    : Object.entries(asObject(rulesValue) ?? {}).map(([id, r]) => ruleFromConfig(r, id));
  const role = asString(field(obj, 'roleARN', 'role'));
  if (rules.length === 0 && !role) return hasField(obj, 'rules', 'roleARN', 'role') ? null : undefined;
  return { role: role ?? '', rules };
};
