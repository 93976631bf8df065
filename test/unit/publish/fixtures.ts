import type { RuleResult } from '../../../shared/rules/types.js';

/** A failing configuration result: destination versioning Suspended on phi-prod → phi-dr. */
export const failing = (overrides: Partial<RuleResult> = {}): RuleResult => ({
  ruleId: 'versioning_destination_enabled',
  status: 'NON_COMPLIANT',
  severity: 'CRITICAL',
  bucket: 'phi-prod',
  destinationBucket: 'phi-dr',
  replicationRuleId: 'phi-to-dr',
  message:
    'Versioning on destination phi-dr of phi-prod (rule phi-to-dr) is Suspended; every replication fails with DstBucketUnversioned.',
  remediation:
    'Run `aws s3api put-bucket-versioning --bucket phi-dr --versioning-configuration Status=Enabled` (with credentials of account 222222222222), then re-replicate failed objects with S3 Batch Replication.',
  hipaa: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)'],
  accountId: '111111111111',
  region: 'us-east-1',
  ...overrides,
});

/** Raw object keys that look like PHI (patient names in file names). */
export const RAW_KEYS = ['patients/Jane Doe/mri-2024-03-01.dcm', 'patients/John Smith/labs.pdf'] as const;

/** A runtime finding from replication failure events, with object keys in its details. */
export const runtimeFailure = (overrides: Partial<RuleResult> = {}): RuleResult => ({
  ruleId: 'replication_operations_failing',
  status: 'NON_COMPLIANT',
  severity: 'CRITICAL',
  bucket: 'phi-prod',
  destinationBucket: 'phi-dr',
  replicationRuleId: 'phi-to-dr',
  message: 'Replication of phi-prod to phi-dr (rule phi-to-dr) is failing with DstKmsKeyInvalidState.',
  remediation: 'Enable the replica KMS key in the destination account, then re-replicate failed objects.',
  hipaa: ['164.308(a)(7)(ii)(A)'],
  accountId: '111111111111',
  region: 'us-east-1',
  resources: [
    { type: 'AwsKmsKey', id: 'arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  ],
  details: {
    count: 42,
    firstSeen: '2025-03-01T10:00:00.000Z',
    lastSeen: '2025-03-01T10:14:00.000Z',
    failureReason: 'DstKmsKeyInvalidState',
    sampleObjectKeys: [...RAW_KEYS],
    samples: [{ key: RAW_KEYS[0], versionId: 'v1', objectArn: `arn:aws:s3:::phi-prod/${RAW_KEYS[1]}` }],
  },
  ...overrides,
});
