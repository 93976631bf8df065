/**
 * Which replication pairs the canary covers, how long a replica may take, and what keeps canary objects from
 * piling up (Object Lock retention, a lifecycle rule). Pure: decisions over what the readers returned.
 */
import {
  CANARY_PREFIX,
  CANARY_TAG,
  type CanaryPair,
  DEFAULT_CANARY_THRESHOLD_MINUTES,
} from '../model/canary.js';
import type { LifecycleRuleInfo } from '../model/lifecycle.js';
import type { ObjectLockInfo, ReplicationConfiguration, ReplicationRule } from '../model/snapshot.js';

/** The size of every canary object (its body is fixed): lifecycle size filters are judged against it. */
export const CANARY_BODY =
  'ReplGuard replication canary. This object holds no patient data: ReplGuard writes it under replguard-canary/ ' +
  'to prove that replication works, and the bucket lifecycle rule expires it.\n';

/** A source opted in with the bucket tag `replguard:canary=true` (tag values are compared without case). */
export const isOptedIn = (tags: Readonly<Record<string, string>>): boolean =>
  tags[CANARY_TAG.key]?.trim().toLowerCase() === CANARY_TAG.value;

/** Why a rule does not carry canaries, or undefined when it does. */
export const notCovering = (rule: ReplicationRule): string | undefined => {
  if (rule.status !== 'Enabled') return 'the rule is disabled';
  if ((rule.filter.tags ?? []).length > 0)
    return 'the rule filters on object tags, which canary objects do not carry';
  const prefix = rule.filter.prefix ?? '';
  if (!CANARY_PREFIX.startsWith(prefix))
    return `the rule's prefix "${prefix}" does not cover ${CANARY_PREFIX}`;
  return undefined;
};

/** Minutes within which the replica must be there: RTC's threshold when the rule has RTC on, else 15. */
export const thresholdMinutes = (rule: ReplicationRule): number => {
  const rtc = rule.destination.replicationTime;
  return rtc?.status === 'Enabled' && rtc.minutes && rtc.minutes > 0
    ? rtc.minutes
    : DEFAULT_CANARY_THRESHOLD_MINUTES;
};

export interface CanarySourceRef {
  readonly bucket: string;
  readonly accountId: string;
  readonly region: string;
}

/** The pairs a source's canaries test, and the rules they cannot test (with why). */
export interface CanaryCoverage {
  readonly pairs: readonly CanaryPair[];
  readonly uncovered: readonly { readonly replicationRuleId: string; readonly reason: string }[];
}

/**
 * One pair per destination bucket, through the enabled rule S3 applies to canary objects: among the rules that
 * cover `replguard-canary/` and name that destination, the one with the highest priority.
 */
export const canaryPairs = (
  source: CanarySourceRef,
  replication: ReplicationConfiguration,
): CanaryCoverage => {
  const uncovered: { replicationRuleId: string; reason: string }[] = [];
  const byDestination = new Map<string, ReplicationRule>();
  for (const rule of replication.rules) {
    const reason = notCovering(rule);
    if (reason) {
      uncovered.push({ replicationRuleId: rule.id, reason });
      continue;
    }
    const seen = byDestination.get(rule.destination.bucket);
    if (!seen || (rule.priority ?? 0) > (seen.priority ?? 0))
      byDestination.set(rule.destination.bucket, rule);
  }
  const pairs = [...byDestination.values()].map((rule) => ({
    bucket: source.bucket,
    accountId: source.accountId,
    region: source.region,
    replicationRuleId: rule.id,
    destinationBucket: rule.destination.bucket,
    destinationAccountId: rule.destination.account ?? source.accountId,
    thresholdMinutes: thresholdMinutes(rule),
    rtc: rule.destination.replicationTime?.status === 'Enabled',
  }));
  return { pairs, uncovered };
};

/** Days a new object is retained by the bucket's default Object Lock retention (0: none). */
export const defaultRetentionDays = (lock: ObjectLockInfo | null): number => {
  const retention = lock?.enabled ? lock.defaultRetention : undefined;
  if (!retention) return 0;
  return retention.days ?? (retention.years ?? 0) * 365;
};

/** Whether the bucket's lifecycle rules remove canary objects: all versions, only current ones, or none. */
export const CanaryExpiry = {
  Complete: 'complete',
  CurrentOnly: 'current-only',
  Missing: 'missing',
} as const;
export type CanaryExpiry = (typeof CanaryExpiry)[keyof typeof CanaryExpiry];

const coversCanaryObjects = (rule: LifecycleRuleInfo): boolean => {
  const size = Buffer.byteLength(CANARY_BODY);
  return (
    rule.enabled &&
    !rule.tagFiltered &&
    CANARY_PREFIX.startsWith(rule.prefix) &&
    (rule.objectSizeGreaterThan === undefined || size > rule.objectSizeGreaterThan) &&
    (rule.objectSizeLessThan === undefined || size < rule.objectSizeLessThan)
  );
};

/**
 * What the lifecycle rules do to canary objects. In a versioned bucket (replication needs versioning) expiring
 * the current version only adds a delete marker: the noncurrent versions must expire too.
 */
export const canaryExpiry = (rules: readonly LifecycleRuleInfo[] | null): CanaryExpiry => {
  const covering = (rules ?? []).filter(coversCanaryObjects);
  if (!covering.some((r) => r.expiresCurrent)) return CanaryExpiry.Missing;
  return covering.some((r) => r.noncurrentDays !== undefined)
    ? CanaryExpiry.Complete
    : CanaryExpiry.CurrentOnly;
};

/** The lifecycle rule the documentation asks for (docs/canary.md), as `put-bucket-lifecycle-configuration` takes it. */
export const CANARY_LIFECYCLE_RULE = {
  ID: 'replguard-canary-expiry',
  Status: 'Enabled',
  Filter: { Prefix: CANARY_PREFIX },
  Expiration: { Days: 1 },
  NoncurrentVersionExpiration: { NoncurrentDays: 1 },
} as const;
