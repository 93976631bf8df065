/**
 * AWS Config configuration item for `AWS::S3::Bucket` → the `SourceBucket` part of a snapshot. Pure (no AWS
 * SDK): Config items come from the invoking event or `GetResourceConfigHistory`, with values as JSON strings
 * or objects, camelCase or Config's own spellings. A setting the item does not carry becomes an unknown datum
 * with reason {@link NOT_IN_ITEM}, never a false value, so a caller can fill it with a live read.
 */
import { type Datum, DataSource, known, unknown } from '../model/datum.js';
import type { SourceBucket } from '../model/snapshot.js';
import { CollectError } from './errors.js';
import {
  encryptionFromConfig,
  notificationsFromConfig,
  objectLockFromConfig,
  policyFromConfig,
  tagsFromConfig,
  versioningFromConfig,
} from './normalise/configBucket.js';
import { replicationFromConfig } from './normalise/configReplication.js';
import { asObject, asString, decodeValue, field } from './normalise/configValues.js';
import { bucketArn, bucketNameFromArn } from './normalise/s3Api.js';

/** Reason of every datum the item does not carry. */
export const NOT_IN_ITEM = 'not in the configuration item';

export const S3_BUCKET_RESOURCE_TYPE = 'AWS::S3::Bucket';

/** Statuses Config uses for a resource that no longer exists. */
const DELETED_STATUSES: ReadonlySet<string> = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/** Where the item was captured, common to both outcomes. */
export interface ConfigItemIdentity {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  /** `configurationItemCaptureTime` as given (ISO text), when present. */
  readonly captureTime?: string;
}

/** A bucket that exists, normalised; or a deleted bucket (nothing to evaluate: NOT_APPLICABLE). */
export type ConfigItemBucket =
  | (ConfigItemIdentity & { readonly deleted: false; readonly source: SourceBucket })
  | (ConfigItemIdentity & { readonly deleted: true });

/** True for a datum the configuration item did not carry (and a live read may fill). */
export const isNotInItem = (datum: Datum<unknown>): boolean =>
  !datum.known && datum.source === DataSource.ConfigItem && datum.reason.startsWith(NOT_IN_ITEM);

const fromItem = <T>(value: T | undefined): Datum<T> =>
  value === undefined
    ? unknown(NOT_IN_ITEM, undefined, DataSource.ConfigItem)
    : known(value, DataSource.ConfigItem);

/** Reads a supplementary entry; a value that fails to normalise counts as absent, with the error in the reason. */
const entry = <T>(normalise: () => T | undefined, what: string): Datum<T> => {
  try {
    return fromItem(normalise());
  } catch (error) {
    return unknown(
      `${NOT_IN_ITEM}: ${what} could not be parsed (${(error as Error).message})`.slice(0, 300),
      undefined,
      DataSource.ConfigItem,
    );
  }
};

const identityOf = (item: Readonly<Record<string, unknown>>): ConfigItemIdentity => {
  const configuration = asObject(item.configuration);
  const arnText = asString(field(item, 'ARN', 'arn', 'resourceArn'));
  const name =
    asString(field(item, 'resourceName')) ??
    asString(field(configuration, 'name')) ??
    asString(field(item, 'resourceId')) ??
    (arnText ? bucketNameFromArn(arnText) : undefined);
  const accountId = asString(field(item, 'awsAccountId', 'accountId'));
  const region = asString(field(item, 'awsRegion'));
  if (!name || !accountId || !region)
    throw new CollectError(
      `Configuration item lacks ${[
        !name && 'the bucket name',
        !accountId && 'the account',
        !region && 'the Region',
      ]
        .filter(Boolean)
        .join(', ')}`,
      'INVALID_CONFIG_ITEM',
    );
  const captureTime = asString(field(item, 'configurationItemCaptureTime'));
  return {
    name,
    arn: arnText ?? bucketArn(name, region),
    accountId,
    region,
    ...(captureTime ? { captureTime } : {}),
  };
};

/**
 * Normalises an `AWS::S3::Bucket` configuration item (object or JSON text). Throws `CollectError`
 * `INVALID_CONFIG_ITEM` for another resource type or an item without name, account or Region.
 */
export const normaliseConfigItem = (input: unknown): ConfigItemBucket => {
  const item = asObject(decodeValue(input));
  if (!item) throw new CollectError('Configuration item is not an object', 'INVALID_CONFIG_ITEM');
  const type = asString(field(item, 'resourceType'));
  if (type !== S3_BUCKET_RESOURCE_TYPE)
    throw new CollectError(
      `Configuration item is a ${type ?? 'resource of unknown type'}, not ${S3_BUCKET_RESOURCE_TYPE}`,
      'INVALID_CONFIG_ITEM',
    );
  const identity = identityOf(item);
  const status = asString(field(item, 'configurationItemStatus'));
  if (status && DELETED_STATUSES.has(status)) return { ...identity, deleted: true };
  const supplementary = asObject(field(item, 'supplementaryConfiguration')) ?? {};
  const sup = (name: string): unknown => field(supplementary, name);
  const source: SourceBucket = {
    name: identity.name,
    arn: identity.arn,
    accountId: identity.accountId,
    region: identity.region,
    versioning: entry(() => versioningFromConfig(sup('BucketVersioningConfiguration')), 'versioning'),
    encryption: entry(() => encryptionFromConfig(sup('ServerSideEncryptionConfiguration')), 'encryption'),
    objectLock: entry(() => objectLockFromConfig(sup('ObjectLockConfiguration')), 'Object Lock'),
    policy: entry(() => policyFromConfig(sup('BucketPolicy')), 'the bucket policy'),
    notifications: entry(
      () => notificationsFromConfig(sup('BucketNotificationConfiguration')),
      'notifications',
    ),
    tags: entry(() => tagsFromConfig(item.tags, sup('BucketTaggingConfiguration')), 'tags'),
    replication: entry(() => replicationFromConfig(sup('BucketReplicationConfiguration')), 'replication'),
  };
  return { ...identity, deleted: false, source };
};
