import { describe, expect, it } from 'vitest';
import { groupByCause } from '../../../shared/cli/causes.js';
import type { RuleResult } from '../../../shared/model/result.js';

const result = (
  ruleId: string,
  status: RuleResult['status'],
  message: string,
  remediation = '',
): RuleResult =>
  ({
    ruleId,
    status,
    severity: 'HIGH',
    bucket: 'phi-prod',
    destinationBucket: 'phi-dr',
    replicationRuleId: 'r1',
    message,
    remediation,
    hipaa: [],
    accountId: '111122223333',
    region: 'us-east-1',
  }) as RuleResult;

describe('groupByCause', () => {
  const assume = 'Could not assume arn:aws:iam::444455556666:role/ReplGuardReadOnly (AccessDenied)';
  const fix =
    'Deploy arn:aws:iam::444455556666:role/ReplGuardReadOnly in account 444455556666 with infra/member-account.yml';

  it('says once what could not be read and how to fix it, then the rules it affects', () => {
    const groups = groupByCause([
      result(
        'versioning_destination_enabled',
        'UNKNOWN',
        `Could not read the versioning of phi-dr: ${assume}.`,
        fix,
      ),
      result(
        'destination_policy_allows_role',
        'UNKNOWN',
        `Could not read the bucket policy of phi-dr: ${assume}.`,
        fix,
      ),
      result('kms_replica_key_configured', 'UNKNOWN', `Could not read the replica key: ${assume}.`, fix),
      result(
        'replication_metrics_enabled',
        'NON_COMPLIANT',
        'Rule r1 has no replication metrics.',
        'Enable Metrics.',
      ),
      result('tls_only_policy', 'COMPLIANT', 'ok'),
    ]);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ cause: `Could not read: ${assume}`, fix, status: 'UNKNOWN' });
    expect(groups[0]?.results.map((r) => r.ruleId)).toEqual([
      'versioning_destination_enabled',
      'destination_policy_allows_role',
      'kms_replica_key_configured',
    ]);
    expect(groups[1]).toMatchObject({ cause: 'Rule r1 has no replication metrics.', fix: 'Enable Metrics.' });
  });

  it('keeps different reasons apart, and one unknown result as it is', () => {
    const groups = groupByCause([
      result(
        'a',
        'UNKNOWN',
        'Could not read X: AccessDenied on s3:GetBucketPolicy.',
        'Grant s3:GetBucketPolicy',
      ),
      result('b', 'UNKNOWN', 'Could not read Y: AccessDenied on kms:GetKeyPolicy.', 'Grant kms:GetKeyPolicy'),
    ]);
    expect(groups.map((g) => g.cause)).toEqual([
      'Could not read X: AccessDenied on s3:GetBucketPolicy.',
      'Could not read Y: AccessDenied on kms:GetKeyPolicy.',
    ]);
  });
});
