import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { VersioningStatus } from '../../../shared/model/snapshot.js';
import { versioningDestinationEnabled } from '../../../shared/rules/versioning_destination_enabled.js';
import { versioningSourceEnabled } from '../../../shared/rules/versioning_source_enabled.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_REGION,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';

describe('versioning_source_enabled', () => {
  it.each<[VersioningStatus, string, RegExp]>([
    ['Enabled', 'COMPLIANT', /Enabled/],
    ['Suspended', 'NON_COMPLIANT', /Suspended/],
    ['Off', 'NON_COMPLIANT', /not enabled/],
  ])('source versioning %s → %s', (state, status, message) => {
    const [result] = versioningSourceEnabled.evaluate(
      variant((s) => void (s.source.versioning = known(state))),
    );
    expect(result?.status).toBe(status);
    expect(result?.message).toMatch(message);
    if (status === 'NON_COMPLIANT') {
      expect(result?.remediation).toContain('Enable versioning on phi-prod');
      expect(result?.remediation).toContain('S3 Batch Replication');
      expect(result?.changes).toEqual([
        { kind: 'versioning', bucket: 'phi-prod', accountId: SRC_ACCOUNT, region: SRC_REGION },
      ]);
    } else expect(result?.changes).toBeUndefined();
  });

  it('is UNKNOWN, naming the permission, when versioning cannot be read', () => {
    const [result] = versioningSourceEnabled.evaluate(
      variant((s) => void (s.source.versioning = denied('s3:GetBucketVersioning'))),
    );
    expect(result?.status).toBe('UNKNOWN');
    expect(result?.remediation).toContain('s3:GetBucketVersioning');
  });
});

describe('versioning_destination_enabled', () => {
  const withDestination = (state: VersioningStatus) =>
    variant((s) => {
      const d = s.destinations[DST_ARN];
      if (d) d.versioning = known(state);
    });

  it.each<[VersioningStatus, string]>([
    ['Enabled', 'COMPLIANT'],
    ['Suspended', 'NON_COMPLIANT'],
    ['Off', 'NON_COMPLIANT'],
  ])('destination versioning %s → %s', (state, status) => {
    const [result] = versioningDestinationEnabled.evaluate(withDestination(state));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
  });

  it('names Suspended and the failure S3 reports', () => {
    const [result] = versioningDestinationEnabled.evaluate(withDestination('Suspended'));
    expect(result?.message).toMatch(/Suspended.*DstBucketUnversioned/);
  });

  it('enables versioning on the destination, in its account and Region', () => {
    const [result] = versioningDestinationEnabled.evaluate(withDestination('Suspended'));
    expect(result?.remediation).toBe(
      'Enable versioning on phi-dr (with credentials of account 222222222222), then re-replicate failed objects with S3 Batch Replication.',
    );
    expect(result?.changes).toEqual([
      { kind: 'versioning', bucket: DST_BUCKET, accountId: DST_ACCOUNT, region: DST_REGION },
    ]);
  });

  it('is NOT_APPLICABLE without replication', () => {
    const [result] = versioningDestinationEnabled.evaluate(
      variant((s) => void (s.source.replication = known(null))),
    );
    expect(result?.status).toBe('NOT_APPLICABLE');
  });

  it('is UNKNOWN when the destination account cannot be read', () => {
    const [result] = versioningDestinationEnabled.evaluate(
      variant((s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = denied('sts:AssumeRole');
      }),
    );
    expect(result?.status).toBe('UNKNOWN');
    expect(result?.message).toContain('sts:AssumeRole');
  });
});

describe('UNKNOWN because a destination account cannot be entered', () => {
  it('points at the read-only role in that account rather than at ReplGuard’s own permissions', () => {
    const reason = 'Could not assume arn:aws:iam::222222222222:role/ReplGuardReadOnly (AccessDenied)';
    const [result] = versioningDestinationEnabled.evaluate(
      variant((s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = { known: false, reason, permission: 'sts:AssumeRole', source: 'api' };
      }),
    );
    expect(result?.status).toBe('UNKNOWN');
    expect(result?.remediation).toContain(
      'Deploy arn:aws:iam::222222222222:role/ReplGuardReadOnly in account 222222222222 with infra/member-account.yml',
    );
    expect(result?.details).toMatchObject({ missingPermission: 'sts:AssumeRole' });
  });
});
