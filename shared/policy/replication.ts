/**
 * The requests S3 makes with the replication role, per AWS's replication guides, built from the snapshot
 * model: what the role reads at the source, writes at the destination, and asks of KMS.
 */
import { type Datum, DataSource, unknown } from '../model/datum.js';
import type { KeyInfo, PolicyDocument, ReplicationRule, RoleInfo, Snapshot } from '../model/snapshot.js';
import {
  bucketArnOf,
  kmsGrantCondition,
  objectArnOf,
  objectsArnOf,
  s3AssumeRoleContext,
  s3ReplicationContext,
  sampleObjectKey,
} from './context.js';
import { partitionOfArn } from '../model/partition.js';
import { type RolePrincipal, type SimulationRequest } from './types.js';

export const S3_SERVICE = 's3.amazonaws.com';

/** Read on the source bucket itself. */
export const SOURCE_BUCKET_ACTIONS = ['s3:GetReplicationConfiguration', 's3:ListBucket'] as const;
/** Read on every source object replicated. */
export const SOURCE_OBJECT_ACTIONS = [
  's3:GetObjectVersionForReplication',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionTagging',
] as const;
/** Read on source objects when the source has Object Lock. */
export const OBJECT_LOCK_SOURCE_ACTIONS = ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] as const;

/** Written on destination objects by `rule`: deletes only with delete-marker replication, owner override with AccessControlTranslation. */
export const destinationActions = (rule: ReplicationRule): string[] => [
  's3:ReplicateObject',
  's3:ReplicateTags',
  ...(rule.deleteMarkerReplication === 'Enabled' ? ['s3:ReplicateDelete'] : []),
  ...(rule.destination.accessControlTranslationOwner ? ['s3:ObjectOwnerOverrideToBucketOwner'] : []),
];

/** Asked of the replica key. */
export const REPLICA_KEY_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** The replication role as the snapshot has it; not read at all → UNKNOWN naming iam:GetRole. */
export const roleOf = (snapshot: Snapshot, roleArn: string): Datum<RoleInfo | null> =>
  snapshot.roles[roleArn] ?? unknown(`role ${roleArn} was not read`, 'iam:GetRole', DataSource.Derived);

/** A role principal from its ARN alone (enough to judge a resource policy). */
export const rolePrincipalOf = (roleArn: string): RolePrincipal => ({
  arn: roleArn,
  name: roleArn.slice(roleArn.lastIndexOf('/') + 1),
  accountId: roleArn.split(':')[4] ?? '',
});

/** S3 assuming the role for `sourceBucket`: judged by the role's trust policy. */
export const trustRequest = (
  role: RoleInfo,
  sourceBucket: string,
  sourceAccount: string,
): SimulationRequest => ({
  principal: { service: S3_SERVICE },
  action: 'sts:AssumeRole',
  resource: {
    kind: 'role',
    arn: role.arn,
    accountId: role.accountId,
    name: role.arn,
    policy: role.trustPolicy,
  },
  context: s3AssumeRoleContext(sourceBucket, sourceAccount, partitionOfArn(role.arn)),
  sid: 'ReplGuardS3AssumeRole',
});

interface BucketSide {
  readonly name: string;
  readonly accountId: string;
  readonly policy: PolicyDocument | null;
  /** Its Region, when known: S3 is called there (`aws:RequestedRegion`). */
  readonly region?: string;
}

const s3Requests = (
  role: RolePrincipal,
  bucket: BucketSide,
  rule: ReplicationRule,
  bucketActions: readonly string[],
  objectActions: readonly string[],
  sid: string,
): SimulationRequest[] => {
  const objectKey = sampleObjectKey(rule.filter.prefix);
  const partition = partitionOfArn(role.arn);
  const context = s3ReplicationContext('s3', {
    role,
    bucket: bucket.name,
    region: bucket.region ?? '',
    objectKey,
  });
  const on = (arn: string, grant: string) => ({
    kind: 'bucket' as const,
    arn,
    grant,
    accountId: bucket.accountId,
    name: bucket.name,
    policy: bucket.policy,
  });
  return [
    ...bucketActions.map((action) => ({
      principal: role,
      action,
      resource: on(bucketArnOf(bucket.name, partition), bucketArnOf(bucket.name, partition)),
      context,
      sid: `${sid}Bucket`,
    })),
    ...objectActions.map((action) => ({
      principal: role,
      action,
      resource: on(
        objectArnOf(bucket.name, objectKey, partition),
        objectsArnOf(bucket.name, rule.filter.prefix, partition),
      ),
      context,
      sid: `${sid}Objects`,
    })),
  ];
};

/** What the role reads at the source for `rule` (Object Lock reads when `objectLock`). */
export const sourceRequests = (
  role: RolePrincipal,
  source: BucketSide,
  rule: ReplicationRule,
  objectLock: boolean,
): SimulationRequest[] =>
  s3Requests(
    role,
    source,
    rule,
    SOURCE_BUCKET_ACTIONS,
    [...SOURCE_OBJECT_ACTIONS, ...(objectLock ? OBJECT_LOCK_SOURCE_ACTIONS : [])],
    'ReplGuardReplicationSource',
  );

/** What the role writes at the destination for `rule`. */
export const destinationRequests = (
  role: RolePrincipal,
  destination: BucketSide,
  rule: ReplicationRule,
): SimulationRequest[] =>
  s3Requests(role, destination, rule, [], destinationActions(rule), 'ReplGuardReplicationDestination');

/** KMS requests S3 makes with the role's credentials on `key`, for objects of `bucket` under the rule's prefix. */
export const kmsRequests = (
  role: RolePrincipal,
  key: KeyInfo,
  actions: readonly string[],
  where: {
    readonly bucket: string;
    readonly region: string;
    readonly rule: ReplicationRule;
    readonly bucketKeyEnabled: boolean;
  },
  sid: string,
): SimulationRequest[] => {
  const input = {
    role,
    bucket: where.bucket,
    region: where.region,
    objectKey: sampleObjectKey(where.rule.filter.prefix),
    bucketKeyEnabled: where.bucketKeyEnabled,
  };
  const policy = key.policy.known ? key.policy.value : null;
  return actions.map((action) => ({
    principal: role,
    action,
    resource: {
      kind: 'key' as const,
      arn: key.keyArn,
      accountId: key.accountId,
      name: key.keyArn,
      region: key.region,
      policy,
      ...(key.manager === 'AWS' ? { awsManaged: true } : {}),
    },
    context: s3ReplicationContext('kms', input),
    grantCondition: kmsGrantCondition({
      bucket: where.bucket,
      region: where.region,
      prefix: where.rule.filter.prefix,
      bucketKeyEnabled: where.bucketKeyEnabled,
    }),
    sid,
  }));
};

/** The `failureReason` S3 reports when the role lacks an action (replication events). */
export const FAILURE_REASONS: Readonly<Record<string, string>> = {
  's3:GetObjectVersionForReplication': 'SrcGetObjectNotPermitted',
  's3:GetObjectVersionAcl': 'SrcGetAclNotPermitted',
  's3:GetObjectVersionTagging': 'SrcGetTaggingNotPermitted',
  's3:GetObjectRetention': 'SrcGetRetentionNotPermitted',
  's3:GetObjectLegalHold': 'SrcGetLegalHoldNotPermitted',
  's3:ReplicateObject': 'DstPutObjectNotPermitted',
  's3:ReplicateTags': 'DstPutTaggingNotPermitted',
  's3:ReplicateDelete': 'DstDelObjNotPermitted',
  's3:ObjectOwnerOverrideToBucketOwner': 'DstPutObjectNotPermitted',
  'kms:Encrypt': 'DstPutObjectNotPermitted',
  'kms:GenerateDataKey': 'DstPutObjectNotPermitted',
  'sts:AssumeRole': 'AssumeRoleNotPermitted',
};

/** " (S3 reports SrcGetObjectNotPermitted, SrcGetAclNotPermitted)" for the denied actions that have one, else "". */
export const failureReasonsOf = (actions: readonly string[]): string => {
  const reasons = [...new Set(actions.flatMap((a) => FAILURE_REASONS[a] ?? []))];
  return reasons.length > 0 ? ` (S3 reports ${reasons.join(', ')})` : '';
};
