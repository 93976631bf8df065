import type { ObjectLockInfo } from '../../model/snapshot.js';

type DefaultRetention = NonNullable<ObjectLockInfo['defaultRetention']>;

/** Object Lock counts a retention year as 365 days. */
export const DAYS_PER_YEAR = 365;

/** A default retention period in days (days and years normalised). */
export const retentionDays = (r: DefaultRetention): number => (r.days ?? 0) + (r.years ?? 0) * DAYS_PER_YEAR;

/** "COMPLIANCE 365 days" / "GOVERNANCE 1 year". */
export const describeRetention = (r: DefaultRetention | undefined): string => {
  if (!r) return 'no default retention';
  const period =
    r.years !== undefined && r.days === undefined
      ? `${r.years} year${r.years === 1 ? '' : 's'}`
      : `${retentionDays(r)} day${retentionDays(r) === 1 ? '' : 's'}`;
  return `${r.mode} ${period}`;
};
