import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { objectLockDestinationEnabled } from '../../../shared/rules/object_lock_destination_enabled.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_REGION,
  RULE_ID,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_ARN,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  type Case,
  outcomes,
} from './secondDestination.js';

const destinationLock = (lock: { enabled: boolean } | null) => (s: Parameters<Case[1]>[0]) => {
  const d = s.destinations[DST_ARN];
  if (d) d.objectLock = known(lock);
};

describe('object_lock_destination_enabled', () => {
  it.each<Case>([
    ['both buckets locked', () => {}, 'COMPLIANT'],
    [
      'a destination without Object Lock',
      destinationLock(null),
      'NON_COMPLIANT',
      /DstBucketObjectLockConfigMissing/,
    ],
    ['a destination with Object Lock disabled', destinationLock({ enabled: false }), 'NON_COMPLIANT'],
    ['a source without Object Lock', (s) => void (s.source.objectLock = known(null)), 'NOT_APPLICABLE'],
    [
      'neither bucket locked',
      (s) => {
        s.source.objectLock = known(null);
        destinationLock(null)(s);
      },
      'NOT_APPLICABLE',
    ],
    [
      'an unreadable source lock',
      (s) => void (s.source.objectLock = denied('s3:GetBucketObjectLockConfiguration')),
      'UNKNOWN',
      /s3:GetBucketObjectLockConfiguration/,
    ],
    [
      'an unreadable destination lock',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.objectLock = denied('s3:GetBucketObjectLockConfiguration');
      },
      'UNKNOWN',
    ],
    [
      'a missing destination',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = known(false);
      },
      'NOT_APPLICABLE',
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = objectLockDestinationEnabled.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it("enables Object Lock on the existing bucket with the source's retention, then Batch Replication", () => {
    const [result] = objectLockDestinationEnabled.evaluate(variant(destinationLock(null)));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    const fix = result?.remediation ?? '';
    expect(fix).toContain(
      'Enable Object Lock on phi-dr itself (account 222222222222; its versioning must be Enabled) with COMPLIANCE 365 days as on phi-prod',
    );
    expect(fix).toContain('S3 Batch Replication (ObjectReplicationStatuses FAILED)');
    expect(fix).toContain('can never be disabled');
    expect(fix).not.toMatch(/AWS Support|token/);
    // The destination is already versioned: Object Lock is the only change.
    expect(result?.changes).toEqual([
      {
        kind: 'object-lock',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        retention: { mode: 'COMPLIANCE', days: 365 },
      },
    ]);
  });

  it('enables versioning first on an unversioned destination', () => {
    const [result] = objectLockDestinationEnabled.evaluate(
      variant((s) => {
        destinationLock(null)(s);
        const d = s.destinations[DST_ARN];
        if (d) d.versioning = known('Suspended');
      }),
    );
    const where = { bucket: DST_BUCKET, accountId: DST_ACCOUNT, region: DST_REGION };
    expect(result?.changes).toEqual([
      { kind: 'versioning', ...where },
      { kind: 'object-lock', ...where, retention: { mode: 'COMPLIANCE', days: 365 } },
    ]);
  });

  it('enables Object Lock without a default retention when the source has none', () => {
    const [result] = objectLockDestinationEnabled.evaluate(
      variant((s) => {
        destinationLock(null)(s);
        s.source.objectLock = known({ enabled: true });
      }),
    );
    expect(result?.status).toBe('NON_COMPLIANT');
    expect(result?.changes).toEqual([
      { kind: 'object-lock', bucket: DST_BUCKET, accountId: DST_ACCOUNT, region: DST_REGION },
    ]);
  });

  it('reports each destination of several rules', () => {
    const results = objectLockDestinationEnabled.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const d = s.destinations[ARCHIVE_ARN];
        if (d) d.objectLock = known(null);
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
    ]);
  });
});
