import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { ObjectLockInfo } from '../../../shared/model/snapshot.js';
import { objectLockModeConsistent } from '../../../shared/rules/object_lock_mode_consistent.js';
import { denied, DST_ACCOUNT, DST_ARN, DST_BUCKET, DST_REGION, variant } from '../../fixtures/snapshots.js';
import { addSecondDestination, ARCHIVE_BUCKET, type Case, resultFor } from './secondDestination.js';

type Retention = ObjectLockInfo['defaultRetention'];
const locks = (source: Retention, destination: Retention) => (s: Parameters<Case[1]>[0]) => {
  s.source.objectLock = known(source ? { enabled: true, defaultRetention: source } : { enabled: true });
  const d = s.destinations[DST_ARN];
  if (d)
    d.objectLock = known(destination ? { enabled: true, defaultRetention: destination } : { enabled: true });
};

describe('object_lock_mode_consistent', () => {
  it.each<Case>([
    ['same mode and period', () => {}, 'COMPLIANT'],
    [
      '365 days against 1 year',
      locks({ mode: 'COMPLIANCE', days: 365 }, { mode: 'COMPLIANCE', years: 1 }),
      'COMPLIANT',
    ],
    [
      'a longer destination period',
      locks({ mode: 'GOVERNANCE', years: 1 }, { mode: 'GOVERNANCE', days: 400 }),
      'COMPLIANT',
    ],
    [
      'COMPLIANCE source, GOVERNANCE destination',
      locks({ mode: 'COMPLIANCE', days: 365 }, { mode: 'GOVERNANCE', days: 365 }),
      'NON_COMPLIANT',
      /modes differ.*BypassGovernanceRetention/,
    ],
    [
      'GOVERNANCE source, COMPLIANCE destination',
      locks({ mode: 'GOVERNANCE', days: 30 }, { mode: 'COMPLIANCE', days: 30 }),
      'NON_COMPLIANT',
      /modes differ/,
    ],
    [
      'a shorter destination period',
      locks({ mode: 'COMPLIANCE', years: 6 }, { mode: 'COMPLIANCE', days: 2000 }),
      'NON_COMPLIANT',
      /2000 days, shorter than .*6 years/,
    ],
    [
      'no destination default retention',
      locks({ mode: 'COMPLIANCE', days: 365 }, undefined),
      'NON_COMPLIANT',
      /no default retention/,
    ],
    ['no source default retention', locks(undefined, { mode: 'GOVERNANCE', days: 1 }), 'COMPLIANT'],
    [
      'a destination without Object Lock (object_lock_destination_enabled reports it)',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.objectLock = known(null);
      },
      'NOT_APPLICABLE',
    ],
    [
      'a source without Object Lock',
      (s) => void (s.source.objectLock = known({ enabled: false })),
      'NOT_APPLICABLE',
    ],
    [
      'an unreadable destination lock',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.objectLock = denied('s3:GetBucketObjectLockConfiguration');
      },
      'UNKNOWN',
      /s3:GetBucketObjectLockConfiguration/,
    ],
    [
      'an unreadable source lock',
      (s) => void (s.source.objectLock = denied('s3:GetBucketObjectLockConfiguration')),
      'UNKNOWN',
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = objectLockModeConsistent.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it("sets the source's retention on the destination, as configured (Years stays Years)", () => {
    const [result] = objectLockModeConsistent.evaluate(
      variant(locks({ mode: 'COMPLIANCE', years: 6 }, { mode: 'GOVERNANCE', days: 30 })),
    );
    expect(result?.remediation).toBe(
      'Set the default retention of phi-dr to COMPLIANCE 6 years (account 222222222222); existing locked versions keep their retention.',
    );
    expect(result?.changes).toEqual([
      {
        kind: 'object-lock',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        retention: { mode: 'COMPLIANCE', years: 6 },
      },
    ]);
  });

  it("sets the source's retention on a locked destination that has none", () => {
    const [result] = objectLockModeConsistent.evaluate(
      variant(locks({ mode: 'GOVERNANCE', days: 30 }, undefined)),
    );
    expect(result?.status).toBe('NON_COMPLIANT');
    expect(result?.remediation).toContain('Set the default retention of phi-dr to GOVERNANCE 30 days');
    expect(result?.changes).toEqual([
      {
        kind: 'object-lock',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        retention: { mode: 'GOVERNANCE', days: 30 },
      },
    ]);
  });

  it('accepts a second destination that states the same period in years', () => {
    const results = objectLockModeConsistent.evaluate(variant(addSecondDestination));
    expect(resultFor(results, ARCHIVE_BUCKET).status).toBe('COMPLIANT');
    expect(results).toHaveLength(2);
  });
});
