/**
 * The replication canary's vocabulary: the pairs it covers, and its verdict on one canary object for one pair
 * (shared/canary writes and reads the objects, the runtime rule `replication_canary_failed` judges verdicts).
 */

/** The reserved key prefix: the canary writes nothing anywhere else. */
export const CANARY_PREFIX = 'replguard-canary/';

/** The source bucket tag that opts a bucket's replication pairs in. */
export const CANARY_TAG = { key: 'replguard:canary', value: 'true' } as const;

/** Minutes a replica may take when the rule has no S3 Replication Time Control. */
export const DEFAULT_CANARY_THRESHOLD_MINUTES = 15;

/** One replicated pair the canary covers: an opted-in source, an enabled rule, its destination. */
export interface CanaryPair {
  readonly bucket: string;
  readonly accountId: string;
  readonly region: string;
  readonly replicationRuleId: string;
  readonly destinationBucket: string;
  /** The destination's owner (the rule's `Account`, else the source's account). */
  readonly destinationAccountId: string;
  /** Minutes within which the replica must be there: RTC's `Time.Minutes` when the rule has RTC, else 15. */
  readonly thresholdMinutes: number;
  readonly rtc: boolean;
}

export const CanaryOutcome = {
  /** The replica was there (first seen by this run). */
  Replicated: 'replicated',
  /** The threshold passed and the replica was not there. */
  Late: 'late',
  /** S3 marked the canary's replication FAILED and the replica is not there. */
  Failed: 'failed',
} as const;
export type CanaryOutcome = (typeof CanaryOutcome)[keyof typeof CanaryOutcome];

/** What the destination showed of the replica. */
export const ReplicaSight = { Present: 'present', Absent: 'absent', Unreadable: 'unreadable' } as const;
export type ReplicaSight = (typeof ReplicaSight)[keyof typeof ReplicaSight];

/** The verdict on one canary object for one pair; each canary is judged once per pair. */
export interface CanaryVerdict {
  readonly pair: CanaryPair;
  readonly outcome: CanaryOutcome;
  /** ReplGuard's own object (`replguard-canary/<time>-<random>.txt`): never PHI. */
  readonly canaryKey: string;
  /** When the canary was written and judged (epoch ms). */
  readonly writtenAt: number;
  readonly judgedAt: number;
  /**
   * Seconds from the write to the first sight of the replica. Precise to the poll interval when the run that
   * wrote it saw it (`measuredInRun`); otherwise an upper bound (a later run saw it first). Replicas keep the
   * source's LastModified, so S3 itself does not tell when the copy landed.
   */
  readonly latencySeconds?: number;
  readonly measuredInRun: boolean;
  /** The source object's `x-amz-replication-status` (PENDING, COMPLETED, FAILED), `none` when S3 set none. */
  readonly sourceStatus: string;
  readonly replica: ReplicaSight;
  /** Why the replica could not be looked at (a denied read names its permission). */
  readonly replicaNote?: string;
}
