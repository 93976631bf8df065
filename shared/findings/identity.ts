import { createHash } from 'node:crypto';
import type { RuleResult } from '../model/result.js';

/** What makes a finding the same finding across evaluations. */
export interface FindingKey {
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly destinationBucket: string | null;
  readonly replicationRuleId: string | null;
  readonly ruleId: string;
  /**
   * What else makes it a different finding: the replication failure reason of a runtime failure finding
   * (each reason has its own cause and fix, so its own finding, alert and resolution). Null otherwise.
   */
  readonly variant?: string | null;
}

/** PagerDuty's `dedup_key` limit; Security Hub allows 512. Our ids stay far below both. */
export const MAX_FINDING_ID_LENGTH = 255;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The identity of a result: account, Region, source, destination, replication rule, ReplGuard rule, and
 * for runtime failure findings the failure reason (`details.failureReason`).
 */
export const findingKey = (result: RuleResult): FindingKey => {
  const reason = result.details?.failureReason;
  return {
    accountId: result.accountId,
    region: result.region,
    bucket: result.bucket,
    destinationBucket: result.destinationBucket,
    replicationRuleId: result.replicationRuleId,
    ruleId: result.ruleId,
    variant: typeof reason === 'string' && reason !== '' ? reason : null,
  };
};

/**
 * The deterministic finding id: a readable prefix (`replguard/<ruleId>/<bucket>/`) plus 32 hex characters
 * of SHA-256 over the key parts (the variant only when there is one), so re-evaluating never creates a
 * duplicate and two keys that differ only in destination or replication rule never collide. At most 255
 * characters (S3 bucket names are at most 63, rule ids are short), so it doubles as PagerDuty's `dedup_key`.
 */
export const findingId = (key: FindingKey): string => {
  const parts = [
    key.accountId,
    key.region,
    key.bucket,
    key.destinationBucket ?? '',
    key.replicationRuleId ?? '',
    key.ruleId,
    ...(key.variant ? [key.variant] : []),
  ];
  const hash = sha256Hex(JSON.stringify(parts)).slice(0, 32);
  const id = `replguard/${key.ruleId}/${key.bucket}/${hash}`;
  return id.length <= MAX_FINDING_ID_LENGTH ? id : `replguard/${hash}`;
};

/** The finding id of a result. */
export const findingIdOf = (result: RuleResult): string => findingId(findingKey(result));

/** JSON with object keys sorted at every level, so equal content always hashes equal. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** A short stable hash of any JSON-able value (16 hex characters). */
export const shortHash = (value: unknown): string =>
  sha256Hex(typeof value === 'string' ? value : canonicalJson(value)).slice(0, 16);

/**
 * Everything a finding shows, hashed: when it differs from the stored one the finding is re-imported
 * (a growing event count, a new sample) even when the transition is "unchanged".
 */
export const contentFingerprint = (result: RuleResult): string =>
  shortHash({
    status: result.status,
    severity: result.severity,
    message: result.message,
    remediation: result.remediation,
    hipaa: result.hipaa,
    resources: result.resources ?? [],
    details: result.details ?? {},
  });

/** Hash of the message alone: a different message is a "changed" transition. */
export const messageHash = (message: string): string => shortHash(message);
