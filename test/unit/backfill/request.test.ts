import { describe, expect, it } from 'vitest';
import { blockingResults } from '../../../shared/backfill/blocking.js';
import { createJobRequest, defaultRoleArn, parseStatuses } from '../../../shared/backfill/request.js';
import type { RuleResult } from '../../../shared/model/result.js';

const spec = {
  accountId: '111122223333',
  region: 'us-east-1',
  bucket: 'phi-prod',
  statuses: ['FAILED', 'NONE'] as const,
  roleArn: defaultRoleArn('111122223333', 'us-east-1'),
  idempotencyScope: '2026-12-03T14',
};

describe('the Batch Replication job request', () => {
  it('asks S3 to generate the manifest from the bucket, filtered by replication status, and to replicate it', () => {
    const r = createJobRequest({ ...spec, statuses: [...spec.statuses], reportBucket: 'replguard-reports' });
    expect(r).toMatchObject({
      AccountId: '111122223333',
      ConfirmationRequired: false,
      RoleArn: 'arn:aws:iam::111122223333:role/ReplGuardBatchReplication',
      Operation: { S3ReplicateObject: {} },
      Report: {
        Enabled: true,
        Bucket: 'arn:aws:s3:::replguard-reports',
        Prefix: 'replguard-backfill',
        Format: 'Report_CSV_20180820',
        ReportScope: 'FailedTasksOnly',
      },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          ExpectedBucketOwner: '111122223333',
          SourceBucket: 'arn:aws:s3:::phi-prod',
          EnableManifestOutput: false,
          Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ['FAILED', 'NONE'] },
        },
      },
    });
    expect(r.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('narrows to a replication rule by its prefix, and writes no report without a bucket', () => {
    const r = createJobRequest({ ...spec, statuses: ['FAILED'], rule: { id: 'scans', prefix: 'scans/' } });
    expect(r.ManifestGenerator?.S3JobManifestGenerator?.Filter).toEqual({
      EligibleForReplication: true,
      ObjectReplicationStatuses: ['FAILED'],
      KeyNameConstraint: { MatchAnyPrefix: ['scans/'] },
    });
    expect(r.Report).toEqual({ Enabled: false });
    expect(r.Description).toContain('rule scans');
  });

  it('gives a repeated request the same token (one job), another scope or filter another token', () => {
    const token = (s: Partial<typeof spec>) =>
      createJobRequest({ ...spec, statuses: [...spec.statuses], ...s } as Parameters<
        typeof createJobRequest
      >[0]).ClientRequestToken;
    expect(token({})).toBe(token({}));
    expect(token({ idempotencyScope: '2026-12-03T15' })).not.toBe(token({}));
    expect(token({ statuses: ['FAILED'] } as never)).not.toBe(token({}));
  });

  it('uses the partition of the Region in every ARN', () => {
    const r = createJobRequest({
      ...spec,
      statuses: ['FAILED'],
      region: 'us-gov-west-1',
      roleArn: defaultRoleArn('111122223333', 'us-gov-west-1'),
    });
    expect(r.RoleArn).toBe('arn:aws-us-gov:iam::111122223333:role/ReplGuardBatchReplication');
    expect(r.ManifestGenerator?.S3JobManifestGenerator?.SourceBucket).toBe('arn:aws-us-gov:s3:::phi-prod');
  });

  it('takes statuses case-insensitively and names the accepted ones otherwise', () => {
    expect(parseStatuses('failed, none,FAILED')).toEqual(['FAILED', 'NONE']);
    expect(() => parseStatuses('FAILED,PENDING')).toThrow(/FAILED, NONE, COMPLETED, REPLICA, not PENDING/);
    expect(() => parseStatuses('')).toThrow(/--statuses/);
  });
});

describe('what blocks a backfill', () => {
  const result = (ruleId: string, status: RuleResult['status'], replicationRuleId: string | null = 'r1') =>
    ({ ruleId, status, bucket: 'phi-prod', replicationRuleId }) as RuleResult;

  it('is a failing or unknown rule that stops replication, not a monitoring rule', () => {
    const blocking = blockingResults(
      [
        result('role_source_permissions', 'NON_COMPLIANT'),
        result('kms_destination_encrypt_allowed', 'UNKNOWN'),
        result('replication_metrics_enabled', 'NON_COMPLIANT'),
        result('versioning_source_enabled', 'COMPLIANT', null),
        result('replication_backlog_objects', 'NON_COMPLIANT'),
      ],
      'phi-prod',
    );
    expect(blocking.map((r) => r.ruleId)).toEqual([
      'role_source_permissions',
      'kms_destination_encrypt_allowed',
    ]);
  });

  it('narrows to one replication rule, keeping bucket-wide results', () => {
    const blocking = blockingResults(
      [
        result('role_source_permissions', 'NON_COMPLIANT', 'r2'),
        result('versioning_source_enabled', 'NON_COMPLIANT', null),
      ],
      'phi-prod',
      'r1',
    );
    expect(blocking.map((r) => r.ruleId)).toEqual(['versioning_source_enabled']);
  });
});
