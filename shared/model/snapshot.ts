import type { Datum } from './datum.js';
import type { OrganizationPolicies } from './organization.js';
import { arns } from './partition.js';
import type { ScopeVerdict } from './scope.js';

/** An IAM policy document, parsed. Statements are kept as AWS wrote them. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off';

export interface BucketEncryption {
  /** `AES256`, `aws:kms`, `aws:kms:dsse` (or absent when the bucket has no default). */
  readonly algorithm: string;
  /** As configured: key id, key ARN, alias name or alias ARN. */
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface ObjectLockInfo {
  readonly enabled: boolean;
  readonly defaultRetention?: {
    readonly mode: RetentionMode;
    readonly days?: number;
    readonly years?: number;
  };
}

export interface NotificationTarget {
  readonly type: 'sns' | 'sqs' | 'lambda' | 'eventbridge';
  readonly arn: string;
  readonly events: readonly string[];
}

export interface BucketNotifications {
  readonly targets: readonly NotificationTarget[];
  readonly eventBridgeEnabled: boolean;
  /**
   * The configuration exactly as GetBucketNotificationConfiguration returned it (ids and filters included),
   * when read live: a fix adds to it without losing anything. Absent when it came from an AWS Config item.
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
}

export interface ReplicationFilter {
  readonly prefix?: string;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export type Toggle = 'Enabled' | 'Disabled';

export interface ReplicationDestination {
  /** `arn:aws:s3:::name` */
  readonly bucketArn: string;
  readonly bucket: string;
  /** Destination owner account as given in the rule (`Account`), when set. */
  readonly account?: string;
  readonly storageClass?: string;
  /** `Destination` when owner override is on. */
  readonly accessControlTranslationOwner?: string;
  /** As configured: key ARN, key id, alias name or alias ARN. */
  readonly replicaKmsKeyId?: string;
  readonly metrics?: { readonly status: Toggle; readonly eventThresholdMinutes?: number };
  readonly replicationTime?: { readonly status: Toggle; readonly minutes?: number };
}

export interface ReplicationRule {
  /** Rule `ID`; S3 generates one when omitted, Config items key rules by it. */
  readonly id: string;
  readonly priority?: number;
  readonly status: Toggle;
  readonly filter: ReplicationFilter;
  readonly deleteMarkerReplication?: Toggle;
  readonly sseKmsEncryptedObjects?: Toggle;
  readonly replicaModifications?: Toggle;
  readonly existingObjectReplication?: Toggle;
  readonly destination: ReplicationDestination;
}

export interface ReplicationConfiguration {
  readonly role: string;
  readonly rules: readonly ReplicationRule[];
}

export interface SourceBucket {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly versioning: Datum<VersioningStatus>;
  readonly encryption: Datum<BucketEncryption | null>;
  readonly objectLock: Datum<ObjectLockInfo | null>;
  readonly policy: Datum<PolicyDocument | null>;
  readonly notifications: Datum<BucketNotifications>;
  readonly tags: Datum<Readonly<Record<string, string>>>;
  /** `null` when the bucket has no replication configuration. */
  readonly replication: Datum<ReplicationConfiguration | null>;
}

export interface DestinationBucket {
  readonly name: string;
  readonly arn: string;
  /** Account we read it as (the rule's `Account`, or the source account). */
  readonly accountId: string;
  readonly exists: Datum<boolean>;
  readonly region: Datum<string>;
  readonly versioning: Datum<VersioningStatus>;
  readonly encryption: Datum<BucketEncryption | null>;
  readonly objectLock: Datum<ObjectLockInfo | null>;
  readonly policy: Datum<PolicyDocument | null>;
}

export interface NamedPolicy {
  readonly name: string;
  /** ARN for managed policies. */
  readonly arn?: string;
  readonly document: PolicyDocument;
}

export interface RoleInfo {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly trustPolicy: PolicyDocument;
  readonly inlinePolicies: readonly NamedPolicy[];
  readonly managedPolicies: readonly NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
}

export type KeyState =
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'Unavailable'
  | 'Creating'
  | 'Updating'
  | 'PendingReplicaDeletion';

export interface KeyInfo {
  /** The reference as configured (id, ARN, alias name or alias ARN). */
  readonly ref: string;
  readonly keyArn: string;
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly state: KeyState | string;
  readonly manager: 'AWS' | 'CUSTOMER';
  /** `null` when the key policy could not be read but the key itself could. */
  readonly policy: Datum<PolicyDocument>;
}

export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface AlarmInfo {
  readonly name: string;
  readonly arn: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  /** The metrics the alarm watches (one for a plain alarm, several for metric math). */
  readonly metrics: readonly MetricRef[];
}

export interface DataEventSelector {
  /** `All`, `WriteOnly` or `ReadOnly` (basic selectors); advanced selectors normalise to these too. */
  readonly readWrite: 'All' | 'WriteOnly' | 'ReadOnly';
  /** ARN prefixes of the S3 objects it covers; `arn:aws:s3` covers all buckets. */
  readonly resourcePrefixes: readonly string[];
  /** ARN prefixes it explicitly excludes (advanced selectors with NotStartsWith/NotEquals). */
  readonly excludedPrefixes: readonly string[];
}

export interface TrailInfo {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly isMultiRegion: boolean;
  readonly isOrganizationTrail: boolean;
  readonly isLogging: Datum<boolean>;
  readonly s3DataEvents: Datum<readonly DataEventSelector[]>;
  /** The selectors exactly as GetEventSelectors returned them, so a fix adds one without replacing the others. */
  readonly selectors?: Datum<RawEventSelectors>;
}

/** A trail's event selectors as read: basic (`EventSelectors`) or advanced (`AdvancedEventSelectors`). */
export interface RawEventSelectors {
  readonly eventSelectors?: readonly Readonly<Record<string, unknown>>[];
  readonly advancedEventSelectors?: readonly Readonly<Record<string, unknown>>[];
}

/** Parameters of a scan: CLI flags or Config rule parameters. */
export interface ScanParameters {
  readonly scopeTag: { readonly key: string; readonly value: string };
  readonly requireCrossRegion: boolean;
  readonly requireRtc: boolean;
  readonly crossAccountRoleName: string;
  /**
   * How many object versions of a source a scan may examine (HeadObject) for their replication status when no
   * S3 Inventory report has it; 0 examines none. Default {@link DEFAULT_OBJECT_SAMPLE}.
   */
  readonly objectSampleSize?: number;
}

/** Object versions examined per source bucket by default. */
export const DEFAULT_OBJECT_SAMPLE = 1000;

export const DEFAULT_PARAMETERS: ScanParameters = {
  scopeTag: { key: 'DataClassification', value: 'PHI' },
  requireCrossRegion: true,
  requireRtc: false,
  crossAccountRoleName: 'ReplGuardReadOnly',
  objectSampleSize: DEFAULT_OBJECT_SAMPLE,
};

/** Replication outcome counts of the object versions one replication rule covers. */
export interface RuleObjectCounts {
  /** `FAILED`: attempted and failed (live replication never retries them). */
  readonly failed: number;
  /** No replication status although the rule covers them: never attempted (written before the rule, or while it was off). */
  readonly missing: number;
  readonly pending: number;
  /** Of the pending ones, written more than an hour ago. */
  readonly stalePending: number;
  readonly completed: number;
}

/**
 * The replication status of a source's objects, never their content: from the latest S3 Inventory report
 * with the ReplicationStatus field (exact as of its date), or from a bounded sample of object versions
 * (HeadObject; exact only when every version was examined).
 */
export interface ObjectReplicationStats {
  readonly method: 'inventory' | 'sample';
  readonly exact: boolean;
  /** Object versions examined. */
  readonly examined: number;
  /** Counts by replication rule id. Rules filtering on tags cannot be judged by a sample: listed in `unjudged`. */
  readonly byRule: Readonly<Record<string, RuleObjectCounts>>;
  readonly unjudged: readonly string[];
  /** The inventory report's date (inventory) or when the sample was taken. */
  readonly asOf: string;
  /** Why an inventory report could not be used, when a sample was taken instead. */
  readonly inventoryNote?: string;
}

/**
 * Everything needed to judge one source bucket's replication path, from live API reads
 * or an AWS Config item, normalised so rules never know which.
 */
export interface Snapshot {
  readonly source: SourceBucket;
  /** Keyed by destination bucket ARN. */
  readonly destinations: Readonly<Record<string, DestinationBucket>>;
  /** Keyed by role ARN; `null` when the role does not exist. */
  readonly roles: Readonly<Record<string, Datum<RoleInfo | null>>>;
  /**
   * Keyed by the reference as configured (and by the resolved key ARN); `null` when the key does not exist.
   * Key references resolve in the Region they are used in: see `keyRefId`.
   */
  readonly keys: Readonly<Record<string, Datum<KeyInfo | null>>>;
  /** Alarms on `AWS/S3` replication metrics in the source's account and Region. */
  readonly alarms: Datum<readonly AlarmInfo[]>;
  /** Trails visible from the source's account and Region (and each destination's, keyed by account:region). */
  readonly trails: Readonly<Record<string, Datum<readonly TrailInfo[]>>>;
  /** Why the bucket is evaluated (shared/scope): a replication source, only a replica destination, or undecided. */
  readonly scope: ScopeVerdict;
  /** The replication status of the source's objects (`null`: not examined, objectSampleSize 0). */
  readonly objects?: Datum<ObjectReplicationStats | null>;
  /**
   * The SCPs and RCPs that apply to the path's accounts (the replication role's, the buckets' and the keys'),
   * keyed by account id. Absent (or an account missing): not read, so they are reported as not evaluated.
   */
  readonly organization?: OrganizationPolicies;
  readonly parameters: ScanParameters;
}

/** The key under which a KMS key reference is stored in `Snapshot.keys`. */
export const keyRefId = (ref: string, region: string, accountId: string): string => {
  if (ref.startsWith('arn:')) return ref;
  if (ref.startsWith('alias/')) return arns.alias(region, accountId, ref);
  return arns.key(region, accountId, ref);
};

/** `arn:aws:kms:r:a:key/<id>` or a bare key id → the key id; aliases stay as given. */
export const keyIdOf = (ref: string): string => {
  const m = /:key\/([^/]+)$/.exec(ref);
  return m?.[1] ?? ref;
};

/** The key under which trails for an account and Region are stored in `Snapshot.trails`. */
export const trailScopeId = (accountId: string, region: string): string => `${accountId}:${region}`;
