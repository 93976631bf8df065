/**
 * S3 replication `failureReason` codes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/
 * replication-failure-codes.html) → what they mean and which catalog rules diagnose the cause. The handler
 * runs the diagnosis of the failing pair and attaches the NON_COMPLIANT results of these rules as the root cause.
 */

/** What kind of problem a reason points at. */
export const FailureCategory = {
  /** The replication role may not do something (trust, identity policy, bucket or key policy). */
  Permission: 'permission',
  /** A bucket or key setting is wrong or missing. */
  Configuration: 'configuration',
  /** The object or version itself (deleted, not eligible, already replicated): usually not a misconfiguration. */
  Object: 'object',
  /** Only S3 Batch Replication jobs report it. */
  BatchReplication: 'batch-replication',
  /** A code this table does not know (AWS adds codes): still a finding, diagnosed against every rule that can break replication. */
  Unknown: 'unknown',
} as const;
export type FailureCategory = (typeof FailureCategory)[keyof typeof FailureCategory];

export interface FailureReasonInfo {
  readonly reason: string;
  readonly cause: string;
  readonly category: FailureCategory;
  /** Catalog rule ids whose NON_COMPLIANT results explain the failure (empty: no configuration rule can). */
  readonly ruleIds: readonly string[];
}

const DST_WRITE = ['role_destination_permissions', 'destination_policy_allows_role'] as const;
const P = FailureCategory.Permission;
const C = FailureCategory.Configuration;
const O = FailureCategory.Object;
const B = FailureCategory.BatchReplication;

const entries: readonly (readonly [string, string, FailureCategory, readonly string[]])[] = [
  [
    'AssumeRoleNotPermitted',
    'S3 cannot assume the replication role (its trust policy does not allow s3.amazonaws.com)',
    P,
    ['role_trusts_s3'],
  ],
  ['DstBucketNotFound', 'the destination bucket does not exist', C, ['replication_destination_reachable']],
  [
    'DstBucketUnversioned',
    'versioning is not enabled on the destination bucket',
    C,
    ['versioning_destination_enabled'],
  ],
  [
    'DstBucketObjectLockConfigMissing',
    'the source has Object Lock and the destination does not',
    C,
    ['object_lock_destination_enabled'],
  ],
  [
    'DstKmsKeyInvalidState',
    'the replica KMS key is disabled or pending deletion',
    C,
    ['kms_replica_key_configured', 'kms_destination_encrypt_allowed'],
  ],
  ['DstKmsKeyNotFound', 'the replica KMS key does not exist', C, ['kms_replica_key_configured']],
  [
    'DstDelObjNotPermitted',
    'the role may not replicate deletes (s3:ReplicateDelete) to the destination',
    P,
    DST_WRITE,
  ],
  [
    'DstMultipartInitNotPermitted',
    'the role may not start multipart uploads at the destination (s3:ReplicateObject)',
    P,
    DST_WRITE,
  ],
  [
    'DstMultipartUploadNotPermitted',
    'the role may not upload multipart parts to the destination (s3:ReplicateObject)',
    P,
    DST_WRITE,
  ],
  [
    'DstMultipartPartUploadNotPermitted',
    'the role may not upload multipart parts to the destination (s3:ReplicateObject)',
    P,
    DST_WRITE,
  ],
  [
    'DstMultipartCompleteNotPermitted',
    'the role may not complete multipart uploads at the destination (s3:ReplicateObject)',
    P,
    DST_WRITE,
  ],
  [
    'DstPutAclNotPermitted',
    'the role may not replicate object ACLs to the destination (s3:ReplicateObject)',
    P,
    DST_WRITE,
  ],
  [
    'DstPutTaggingNotPermitted',
    'the role may not replicate object tags to the destination (s3:ReplicateObject, s3:ReplicateTags)',
    P,
    DST_WRITE,
  ],
  [
    'DstPutObjectNotPermitted',
    'the role may not write replicas (s3:ReplicateObject or s3:ObjectOwnerOverrideToBucketOwner), or the replica key policy denies kms:Encrypt / kms:GenerateDataKey',
    P,
    [...DST_WRITE, 'kms_destination_encrypt_allowed'],
  ],
  [
    'DstPutLegalHoldNotPermitted',
    'Object Lock legal hold writes are denied at the destination',
    P,
    [...DST_WRITE, 'object_lock_destination_enabled'],
  ],
  [
    'DstPutRetentionNotPermitted',
    'Object Lock retention writes are denied at the destination',
    P,
    [...DST_WRITE, 'object_lock_destination_enabled', 'object_lock_mode_consistent'],
  ],
  [
    'DstVersionNotFound',
    'the destination version to update does not exist',
    O,
    ['versioning_destination_enabled'],
  ],
  ['SrcBucketNotFound', 'the source bucket no longer exists', O, []],
  [
    'SrcBucketReplicationConfigMissing',
    'the source bucket has no replication configuration any more',
    C,
    ['replication_configured'],
  ],
  [
    'SrcGetAclNotPermitted',
    'the role may not read object ACLs on the source (s3:GetObjectVersionAcl)',
    P,
    ['role_source_permissions'],
  ],
  [
    'SrcGetObjectNotPermitted',
    'the role may not read source objects (s3:GetObjectVersionForReplication), or may not decrypt them with the source KMS key',
    P,
    ['role_source_permissions', 'kms_source_decrypt_allowed'],
  ],
  [
    'SrcHeadObjectNotPermitted',
    'the role may not read source object metadata (s3:GetObjectVersionForReplication)',
    P,
    ['role_source_permissions', 'kms_source_decrypt_allowed'],
  ],
  [
    'SrcGetTaggingNotPermitted',
    'the role may not read object tags on the source (s3:GetObjectVersionTagging)',
    P,
    ['role_source_permissions'],
  ],
  [
    'SrcGetLegalHoldNotPermitted',
    'the role may not read legal holds on the source (s3:GetObjectLegalHold)',
    P,
    ['role_source_permissions'],
  ],
  [
    'SrcGetRetentionNotPermitted',
    'the role may not read retention on the source (s3:GetObjectRetention)',
    P,
    ['role_source_permissions'],
  ],
  ['SrcKeyNotFound', 'the source object was deleted before it replicated', O, []],
  ['SrcObjectNotFound', 'the source object was deleted before it replicated', O, []],
  ['SrcVersionNotFound', 'the source object version was deleted before it replicated', O, []],
  [
    'SrcObjectNotEligible',
    'the object is not eligible for replication (storage class, tags, or encryption excluded by the rule)',
    O,
    ['kms_encrypted_objects_replicated'],
  ],
  ['SrcReplicationNotPending', 'the object was already replicated', O, []],
  [
    'SrcKmsKeyInvalidState',
    'the source KMS key is disabled or pending deletion',
    C,
    ['kms_source_decrypt_allowed'],
  ],
  [
    'DstBucketInvalidRegion',
    'the destination bucket is not in the Region the Batch Replication job names',
    B,
    ['replication_destination_reachable'],
  ],
  ['SrcBucketInvalidRegion', 'the source bucket is not in the Region the Batch Replication job names', B, []],
  [
    'DstObjectHardDeleted',
    'the destination object was permanently deleted (Batch Replication does not re-create it)',
    B,
    [],
  ],
  [
    'InitiateReplicationNotPermitted',
    'the Batch Replication role may not start replication (s3:InitiateReplication)',
    B,
    [],
  ],
];

/** Every documented reason (both spellings of the multipart part upload code included). */
export const FAILURE_REASONS: ReadonlyMap<string, FailureReasonInfo> = new Map(
  entries.map(([reason, cause, category, ruleIds]) => [reason, { reason, cause, category, ruleIds }]),
);

/**
 * The catalog rules that can explain why objects do not replicate: every rule some failure reason maps to,
 * plus source versioning (suspending it stops replication without any failure event). The probable causes
 * of a backlog, a missed RTC threshold, or a failure reason ReplGuard does not know.
 */
export const REPLICATION_BREAKING_RULE_IDS: readonly string[] = [
  ...new Set(['versioning_source_enabled', ...entries.flatMap(([, , , ids]) => ids)]),
];

/** The meaning of a reason; an unknown (new, or misspelt) reason gets a generic entry, never an error. */
export const describeFailureReason = (reason: string): FailureReasonInfo =>
  FAILURE_REASONS.get(reason) ?? {
    reason,
    cause:
      'a failure reason ReplGuard does not know yet (see the S3 replication failure reasons documentation)',
    category: FailureCategory.Unknown,
    ruleIds: REPLICATION_BREAKING_RULE_IDS,
  };
