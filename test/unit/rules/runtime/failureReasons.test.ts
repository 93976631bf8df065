import { describe, expect, it } from 'vitest';
import {
  describeFailureReason,
  FAILURE_REASONS,
  REPLICATION_BREAKING_RULE_IDS,
} from '../../../../shared/rules/runtime/failureReasons.js';
import { ruleById } from '../../../../shared/rules/index.js';

/** Every code of AWS's "Amazon S3 replication failure reasons" table (both spellings of the multipart part upload code). */
const DOCUMENTED = [
  'AssumeRoleNotPermitted',
  'DstBucketInvalidRegion',
  'DstBucketNotFound',
  'DstBucketObjectLockConfigMissing',
  'DstBucketUnversioned',
  'DstDelObjNotPermitted',
  'DstKmsKeyInvalidState',
  'DstKmsKeyNotFound',
  'DstMultipartCompleteNotPermitted',
  'DstMultipartInitNotPermitted',
  'DstMultipartPartUploadNotPermitted',
  'DstMultipartUploadNotPermitted',
  'DstObjectHardDeleted',
  'DstPutAclNotPermitted',
  'DstPutLegalHoldNotPermitted',
  'DstPutObjectNotPermitted',
  'DstPutRetentionNotPermitted',
  'DstPutTaggingNotPermitted',
  'DstVersionNotFound',
  'InitiateReplicationNotPermitted',
  'SrcBucketInvalidRegion',
  'SrcBucketNotFound',
  'SrcBucketReplicationConfigMissing',
  'SrcGetAclNotPermitted',
  'SrcGetLegalHoldNotPermitted',
  'SrcGetObjectNotPermitted',
  'SrcGetRetentionNotPermitted',
  'SrcGetTaggingNotPermitted',
  'SrcHeadObjectNotPermitted',
  'SrcKeyNotFound',
  'SrcKmsKeyInvalidState',
  'SrcObjectNotEligible',
  'SrcObjectNotFound',
  'SrcReplicationNotPending',
  'SrcVersionNotFound',
];

describe('failure reasons', () => {
  it('maps every documented reason, and nothing else', () => {
    expect([...FAILURE_REASONS.keys()].sort()).toEqual([...DOCUMENTED].sort());
  });

  it.each(DOCUMENTED)('%s has a cause and diagnoses only with catalog rules', (reason) => {
    const info = describeFailureReason(reason);
    expect(info.reason).toBe(reason);
    expect(info.cause.length).toBeGreaterThan(15);
    expect(info.category).not.toBe('unknown');
    for (const id of info.ruleIds) expect(ruleById(id), `${reason} → ${id}`).toBeDefined();
  });

  it.each([
    ['AssumeRoleNotPermitted', ['role_trusts_s3']],
    ['DstKmsKeyNotFound', ['kms_replica_key_configured']],
    ['DstKmsKeyInvalidState', ['kms_replica_key_configured']],
    ['DstBucketObjectLockConfigMissing', ['object_lock_destination_enabled']],
    ['DstBucketUnversioned', ['versioning_destination_enabled']],
    ['SrcGetObjectNotPermitted', ['role_source_permissions']],
    [
      'DstPutObjectNotPermitted',
      ['role_destination_permissions', 'destination_policy_allows_role', 'kms_destination_encrypt_allowed'],
    ],
  ])('%s is diagnosed by %j (as the issue requires)', (reason, ids) => {
    expect(describeFailureReason(reason).ruleIds).toEqual(expect.arrayContaining(ids));
  });

  it('treats both spellings of the multipart part upload code alike', () => {
    const { reason: _a, ...newer } = describeFailureReason('DstMultipartUploadNotPermitted');
    const { reason: _b, ...older } = describeFailureReason('DstMultipartPartUploadNotPermitted');
    expect(newer).toEqual(older);
  });

  it('describes an unknown reason instead of failing, diagnosed by every rule that can stop replication', () => {
    expect(describeFailureReason('DstSomethingNewNotPermitted')).toEqual({
      reason: 'DstSomethingNewNotPermitted',
      cause: expect.stringContaining('does not know'),
      category: 'unknown',
      ruleIds: REPLICATION_BREAKING_RULE_IDS,
    });
  });

  it('counts as replication-breaking exactly the rules some reason maps to (not monitoring or hygiene rules)', () => {
    expect(REPLICATION_BREAKING_RULE_IDS).toEqual(
      expect.arrayContaining([
        'role_trusts_s3',
        'versioning_source_enabled',
        'versioning_destination_enabled',
        'kms_source_decrypt_allowed',
      ]),
    );
    for (const id of [
      'pending_replication_alarm',
      'cloudtrail_data_events',
      'encryption_at_rest_kms',
      'tls_only_policy',
      'replication_cross_region',
    ])
      expect(REPLICATION_BREAKING_RULE_IDS).not.toContain(id);
  });
});
