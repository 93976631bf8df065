/** The replication configuration of a scenario: rules from a compact spec, with every field S3 accepts. */
import {
  DeleteBucketCommand,
  PutBucketReplicationCommand,
  type ReplicationRule as ApiRule,
  type ReplicationRuleFilter,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { BucketHandle, Context, RoleHandle } from './resources.js';
import { setVersioning } from './resources.js';

export interface RuleSpec {
  readonly id: string;
  readonly destination: BucketHandle;
  readonly priority?: number;
  /** Default Enabled. */
  readonly status?: 'Enabled' | 'Disabled';
  readonly prefix?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Set `Destination.Account` (default: when the destination is in another account). */
  readonly account?: boolean;
  /** `AccessControlTranslation.Owner = Destination` (default: when the destination is in another account). */
  readonly ownerOverride?: boolean;
  /** ReplicaKmsKeyID, as written (key ARN, alias ARN, key id or alias name). */
  readonly replicaKey?: string;
  /** `SourceSelectionCriteria.SseKmsEncryptedObjects` (default: when a replica key is given). */
  readonly kmsObjects?: boolean;
  /** Default true. */
  readonly deleteMarkers?: boolean;
  readonly replicaModifications?: boolean;
  readonly existingObjects?: boolean;
  /** Replication metrics (default: with RTC). */
  readonly metrics?: boolean;
  /** S3 Replication Time Control, 15 minutes. */
  readonly rtc?: boolean;
  readonly storageClass?: StorageClass;
}

export interface ReplicationSpec {
  readonly role: RoleHandle | string;
  readonly rules: readonly RuleSpec[];
  /** Last word on each API rule, to write anything the spec does not cover. */
  readonly transform?: (rule: ApiRule) => ApiRule;
}

const toggle = (on: boolean) => ({ Status: on ? ('Enabled' as const) : ('Disabled' as const) });

const filterOf = (spec: RuleSpec): ReplicationRuleFilter => {
  const tags = Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  if (tags.length === 0) return { Prefix: spec.prefix ?? '' };
  if (tags.length === 1 && spec.prefix === undefined) return { Tag: tags[0] };
  return { And: { ...(spec.prefix !== undefined ? { Prefix: spec.prefix } : {}), Tags: tags } };
};

/** The API rule for a spec. */
export const apiRule = (source: BucketHandle, spec: RuleSpec, index: number): ApiRule => {
  const cross = spec.destination.account !== source.account;
  const metrics = spec.metrics ?? spec.rtc ?? false;
  const kmsObjects = spec.kmsObjects ?? spec.replicaKey !== undefined;
  return {
    ID: spec.id,
    Priority: spec.priority ?? index + 1,
    Status: spec.status ?? 'Enabled',
    Filter: filterOf(spec),
    DeleteMarkerReplication: toggle(spec.deleteMarkers ?? true),
    ...(kmsObjects || spec.replicaModifications !== undefined
      ? {
          SourceSelectionCriteria: {
            ...(kmsObjects ? { SseKmsEncryptedObjects: toggle(true) } : {}),
            ...(spec.replicaModifications !== undefined
              ? { ReplicaModifications: toggle(spec.replicaModifications) }
              : {}),
          },
        }
      : {}),
    ...(spec.existingObjects !== undefined
      ? { ExistingObjectReplication: toggle(spec.existingObjects) }
      : {}),
    Destination: {
      Bucket: spec.destination.arn,
      ...((spec.account ?? cross) ? { Account: spec.destination.account } : {}),
      ...(spec.storageClass ? { StorageClass: spec.storageClass } : {}),
      ...((spec.ownerOverride ?? cross)
        ? { AccessControlTranslation: { Owner: 'Destination' as const } }
        : {}),
      ...(spec.replicaKey ? { EncryptionConfiguration: { ReplicaKmsKeyID: spec.replicaKey } } : {}),
      ...(metrics ? { Metrics: { ...toggle(true), EventThreshold: { Minutes: 15 } } } : {}),
      ...(spec.rtc ? { ReplicationTime: { ...toggle(true), Time: { Minutes: 15 } } } : {}),
    },
  };
};

/**
 * PutBucketReplication on `source`. S3 needs source versioning Enabled for that, so a source that is not
 * Enabled is enabled first and put back afterwards (`restoreVersioning`), as happens in real accounts.
 */
export const putReplication = async (
  ctx: Context,
  source: BucketHandle,
  spec: ReplicationSpec,
  restoreVersioning?: 'Suspended',
): Promise<ApiRule[]> => {
  const rules = spec.rules.map((r, i) => (spec.transform ?? ((x: ApiRule) => x))(apiRule(source, r, i)));
  await ctx.clients(source.account, source.region).s3.send(
    new PutBucketReplicationCommand({
      Bucket: source.name,
      ReplicationConfiguration: {
        Role: typeof spec.role === 'string' ? spec.role : spec.role.arn,
        Rules: rules,
      },
    }),
  );
  if (restoreVersioning) await setVersioning(ctx, source, restoreVersioning);
  return rules;
};

/** Deletes an (empty) bucket, e.g. a destination that should be gone. */
export const deleteBucket = async (ctx: Context, bucket: BucketHandle): Promise<void> => {
  await ctx.clients(bucket.account, bucket.region).s3.send(new DeleteBucketCommand({ Bucket: bucket.name }));
};
