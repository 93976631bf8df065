/**
 * `replicatedPair`: a whole replication path in one call, healthy by default (AWS's cross-account SSE-KMS
 * replication guide), with one option per thing a test may want to break.
 */
import type { ReplicationRule as ApiRule } from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import {
  destinationBucketPolicy,
  keyPolicy,
  type Policy,
  replicationRolePolicy,
  s3TrustPolicy,
  tlsOnlyPolicy,
} from './policies.js';
import { createAlarm } from './monitoring.js';
import { deleteBucket, putReplication } from './replication.js';
import {
  type BucketHandle,
  type Context,
  createBucket,
  createKey,
  createRole,
  type KeyHandle,
  type KeyRefKind,
  type RoleHandle,
  type Versioning,
} from './resources.js';

export interface PairHost extends Context {
  /** A second account derived from the scenario's (stable per label). */
  peer(label: string): string;
  readOnlyRole(account: string): Promise<RoleHandle>;
  dataEventsTrail(account: string, region: string): Promise<{ name: string; arn: string }>;
  queue(name: string, account?: string, region?: string): Promise<string>;
  topic(name: string, account?: string, region?: string): Promise<string>;
}

type Transform<T> = (healthy: T) => T;

export interface PairOptions {
  /** Base name of the source bucket; the destination is `<name>-dr`. */
  readonly name: string;
  /** Destination in another account: `true` for the scenario's `dr` peer, or an account id. */
  readonly crossAccount?: boolean | string;
  /** Destination in another Region: `true` for us-west-2 (us-east-1 from us-west-2), or a Region. */
  readonly crossRegion?: boolean | string;
  /** SSE-KMS at both ends with customer managed keys, and replicate KMS-encrypted objects. */
  readonly kms?: boolean;
  readonly bucketKey?: boolean;
  /** How the rule names the replica key. Default `arn`. */
  readonly replicaKeyRef?: KeyRefKind;
  readonly objectLock?: 'COMPLIANCE' | 'GOVERNANCE';
  readonly rtc?: boolean;
  /** Replication metrics (default: with RTC or monitoring). */
  readonly metrics?: boolean;
  /**
   * A pending-replication alarm with an action, failure notifications to SQS, and data-event trails. Give a
   * queue and topic to share them across pairs (otherwise each pair gets its own).
   */
  readonly monitored?: boolean | { readonly queueArn: string; readonly topicArn: string };
  /** Tags of the source (default `DataClassification=PHI`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Share resources across pairs: the role's policy must already cover this pair. */
  readonly role?: RoleHandle;
  readonly sourceKey?: KeyHandle;
  readonly replicaKey?: KeyHandle;
  /** Create `ReplGuardReadOnly` in the destination account (default true). */
  readonly readOnlyRole?: boolean;

  // things to break
  readonly sourceVersioning?: 'Enabled' | 'Suspended';
  readonly destinationVersioning?: Versioning;
  /** `false`: the destination is deleted after replication is configured. */
  readonly destinationExists?: boolean;
  /** Object Lock on the destination (default: as the source). */
  readonly destinationObjectLock?: 'COMPLIANCE' | 'GOVERNANCE' | false;
  readonly replicaKeyState?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  /** `null` removes the role's permissions policy. */
  readonly rolePolicy?: (healthy: Policy) => Policy | null;
  /** Where the role's permissions live: an inline policy (default) or a customer managed policy. */
  readonly rolePolicyAs?: 'inline' | 'managed';
  readonly roleBoundary?: PolicyDocument;
  readonly trustPolicy?: Transform<Policy>;
  /** `null` removes the destination bucket policy. */
  readonly destinationPolicy?: (healthy: Policy) => Policy | null;
  readonly replicaKeyPolicy?: Transform<Policy>;
  readonly sourceKeyPolicy?: Transform<Policy>;
  readonly rule?: Transform<ApiRule>;
}

export interface ReplicationPath {
  readonly source: BucketHandle;
  readonly destination: BucketHandle;
  readonly role: RoleHandle;
  readonly ruleId: string;
  readonly rule: ApiRule;
  readonly sourceKey?: KeyHandle;
  readonly replicaKey?: KeyHandle;
  /** The ReplicaKmsKeyID as written in the rule. */
  readonly replicaKeyRef?: string;
  readonly alarm?: { name: string; arn: string };
  readonly queueArn?: string;
  readonly topicArn?: string;
}

const otherRegion = (region: string) => (region === 'us-west-2' ? 'us-east-1' : 'us-west-2');

/** Builds the pair; see {@link PairOptions}. */
export const replicatedPair = async (host: PairHost, o: PairOptions): Promise<ReplicationPath> => {
  const home = host.home;
  const dstAccount =
    typeof o.crossAccount === 'string' ? o.crossAccount : o.crossAccount ? host.peer('dr') : home;
  const srcRegion = host.region;
  const dstRegion =
    typeof o.crossRegion === 'string' ? o.crossRegion : o.crossRegion ? otherRegion(srcRegion) : srcRegion;
  const cross = dstAccount !== home;
  const srcName = host.uniqueName(o.name);
  const dstName = host.uniqueName(`${o.name}-dr`);
  const ruleId = `${o.name}-to-dr`;
  const roleName = `${o.name}-replication`;
  const roleArn = o.role?.arn ?? `arn:aws:iam::${home}:role/${roleName}`;
  const lock = o.objectLock;
  const dstLock = o.destinationObjectLock === undefined ? lock : o.destinationObjectLock || undefined;
  const monitored = o.monitored ?? false;
  if (lock && o.sourceVersioning === 'Suspended')
    throw new Error(
      `${srcName}: S3 keeps versioning Enabled on an Object Lock bucket (it cannot be Suspended)`,
    );

  const [sourceKey, replicaKey] = await Promise.all([
    o.kms
      ? (o.sourceKey ??
        createKey(host, {
          alias: `${o.name}-source`,
          policy: (o.sourceKeyPolicy ?? ((p) => p))(keyPolicy(home)),
        }))
      : undefined,
    o.kms
      ? (o.replicaKey ??
        createKey(host, {
          account: dstAccount,
          region: dstRegion,
          alias: `${o.name}-replica`,
          policy: (o.replicaKeyPolicy ?? ((p) => p))(keyPolicy(dstAccount, cross ? [roleArn] : [])),
          state: o.replicaKeyState ?? 'Enabled',
        }))
      : undefined,
    cross && o.readOnlyRole !== false ? host.readOnlyRole(dstAccount) : undefined,
  ]);
  const replicaKeyRef = replicaKey?.ref(o.replicaKeyRef ?? 'arn');

  const healthyRolePolicy = replicationRolePolicy({
    sources: [srcName],
    destinations: [dstName],
    sourceKeys: sourceKey ? [{ arn: sourceKey.arn, region: srcRegion }] : [],
    replicaKeys: replicaKey ? [{ arn: replicaKey.arn, region: dstRegion }] : [],
    objectLock: lock !== undefined,
    ownerOverride: cross,
    bucketKey: o.bucketKey ?? false,
  });
  const permissions = o.role ? null : (o.rolePolicy ?? ((p) => p))(healthyRolePolicy);
  const healthyDstPolicy = cross ? destinationBucketPolicy(dstName, [roleArn]) : tlsOnlyPolicy(dstName);
  const dstPolicy = (o.destinationPolicy ?? ((p) => p))(healthyDstPolicy);

  const [role, destination] = await Promise.all([
    o.role ??
      createRole(host, {
        name: roleName,
        trust: (o.trustPolicy ?? ((p) => p))(s3TrustPolicy()),
        ...(permissions && o.rolePolicyAs === 'managed' ? { managed: { replication: permissions } } : {}),
        ...(permissions && o.rolePolicyAs !== 'managed' ? { inline: { replication: permissions } } : {}),
        ...(o.roleBoundary ? { boundary: o.roleBoundary } : {}),
      }),
    createBucket(host, {
      name: dstName,
      account: dstAccount,
      region: dstRegion,
      versioning: o.destinationVersioning ?? 'Enabled',
      encryption: replicaKey
        ? { algorithm: 'aws:kms', key: replicaKey.arn, bucketKey: o.bucketKey ?? false }
        : { algorithm: 'AES256' },
      ...(dstLock ? { objectLock: { mode: dstLock, days: 365 } } : {}),
      ...(dstPolicy ? { policy: dstPolicy } : {}),
    }),
  ]);

  const [queueArn, topicArn] =
    typeof monitored === 'object'
      ? [monitored.queueArn, monitored.topicArn]
      : monitored
        ? await Promise.all([host.queue(`${o.name}-replication-events`), host.topic(`${o.name}-ops`)])
        : [undefined, undefined];
  const source = await createBucket(host, {
    name: srcName,
    encryption: sourceKey
      ? { algorithm: 'aws:kms', key: sourceKey.arn, bucketKey: o.bucketKey ?? false }
      : { algorithm: 'AES256' },
    ...(lock ? { objectLock: { mode: lock, days: 365 } } : {}),
    policy: tlsOnlyPolicy(srcName),
    tags: o.tags ?? { DataClassification: 'PHI' },
    ...(queueArn ? { notifications: [{ type: 'sqs', arn: queueArn, events: ['s3:Replication:*'] }] } : {}),
  });
  const [rule] = await putReplication(
    host,
    source,
    {
      role: roleArn,
      rules: [
        {
          id: ruleId,
          destination,
          ...(replicaKeyRef ? { replicaKey: replicaKeyRef } : {}),
          metrics: o.metrics ?? (o.rtc === true || monitored !== false),
          rtc: o.rtc ?? false,
        },
      ],
      ...(o.rule ? { transform: o.rule } : {}),
    },
    o.sourceVersioning === 'Suspended' ? 'Suspended' : undefined,
  );
  if (o.destinationExists === false) await deleteBucket(host, destination);

  const alarm = monitored
    ? await createAlarm(host, {
        name: `${o.name}-pending`,
        source: srcName,
        destination: dstName,
        ruleId,
        actions: topicArn ? [topicArn] : [],
      })
    : undefined;
  if (monitored)
    await Promise.all([host.dataEventsTrail(home, srcRegion), host.dataEventsTrail(dstAccount, dstRegion)]);

  return {
    source,
    destination,
    role,
    ruleId,
    rule: rule as ApiRule,
    ...(sourceKey ? { sourceKey } : {}),
    ...(replicaKey ? { replicaKey } : {}),
    ...(replicaKeyRef ? { replicaKeyRef } : {}),
    ...(alarm ? { alarm } : {}),
    ...(queueArn ? { queueArn } : {}),
    ...(topicArn ? { topicArn } : {}),
  };
};
