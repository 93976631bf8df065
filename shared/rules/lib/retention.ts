import type { ObjectLockInfo } from '../../model/snapshot.js';
import { shJson, shq } from '../../support/shell.js';

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

/** `aws s3api put-object-lock-configuration` enabling Object Lock with `retention` as the default (Days or Years, never both). */
export const putObjectLockCommand = (bucket: string, retention: DefaultRetention | undefined): string => {
  const period = retention
    ? retention.days !== undefined && retention.years === undefined
      ? { Days: retention.days }
      : retention.days === undefined && retention.years !== undefined
        ? { Years: retention.years }
        : { Days: retentionDays(retention) }
    : undefined;
  const config = {
    ObjectLockEnabled: 'Enabled',
    ...(retention && period ? { Rule: { DefaultRetention: { Mode: retention.mode, ...period } } } : {}),
  };
  return `aws s3api put-object-lock-configuration --bucket ${shq(bucket)} --object-lock-configuration ${shJson(config)}`;
};
