/**
 * The finding of one aggregate of replication events (shared by replication_operations_failing and
 * replication_threshold_missed): it names the pair, the reason, what it means and the diagnosed root cause.
 * Volatile numbers (counts, first/last seen, operations, sample keys) live in `details`, never in the message,
 * so a growing storm updates the finding without re-alerting.
 */
import { type Aggregate, AggregateKind } from '../../events/aggregate.js';
import { ReplicationEventType } from '../../events/s3Replication.js';
import type { FindingKey } from '../../findings/identity.js';
import type { PreviousFinding } from '../../findings/lifecycle.js';
import type { Diagnosis, PairRef } from '../../model/diagnosis.js';
import type { RuleResult } from '../../model/result.js';
import {
  destinationAccountOn,
  explain,
  pathOf,
  remediationOf,
  resourcesOf,
  rootCauseOnPair,
} from '../lib/diagnosis.js';
import { describeFailureReason, FailureCategory, REPLICATION_BREAKING_RULE_IDS } from './failureReasons.js';
import type { RuntimeRule } from './types.js';

/** Counts carried over from the finding already stored (earlier batches of the same storm). */
export interface PreviousCounts {
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The counts an ACTIVE stored finding carries; a resolved one starts again from zero (a new incident). */
export const countsOf = (previous: PreviousFinding | undefined): PreviousCounts | undefined => {
  if (previous?.state !== 'ACTIVE') return undefined;
  const count = Number(previous.details?.count);
  const { firstSeen, lastSeen } = previous.details ?? {};
  return Number.isFinite(count) && count > 0
    ? { count, ...(firstSeen ? { firstSeen } : {}), ...(lastSeen ? { lastSeen } : {}) }
    : undefined;
};

export const pairOf = (agg: Aggregate): PairRef => ({
  bucket: agg.sourceBucket,
  destinationBucket: agg.destinationBucket,
  replicationRuleId: agg.replicationRuleId,
});

/** The identity of an aggregate's finding: the pair, the rule and, for failures, the reason. */
export const aggregateKey = (rule: { id: string }, agg: Aggregate, accountId: string): FindingKey => ({
  accountId,
  region: agg.region,
  bucket: agg.sourceBucket,
  destinationBucket: agg.destinationBucket,
  replicationRuleId: agg.replicationRuleId,
  ruleId: rule.id,
  variant: agg.kind === AggregateKind.Failure && agg.failureReason ? agg.failureReason : null,
});

/**
 * How to copy the objects whose replication failed, once the cause is fixed: `replguard backfill` (an S3
 * Batch Replication job of the FAILED objects; it refuses while the cause still blocks replication), or the
 * stack's automatic backfill when this finding resolves (docs/backfill.md).
 */
export const batchReplicationHint = (accountId: string, bucket: string, region: string): string =>
  `Then copy the objects that FAILED meanwhile with S3 Batch Replication: replguard backfill --bucket ${bucket} --statuses FAILED --region ${region} --yes ` +
  `(in account ${accountId}; with the stack's AutoBackfillRoleArn set, this happens by itself when the finding resolves).`;

export interface AggregateInput {
  readonly aggregate: Aggregate;
  readonly diagnosis: Diagnosis;
  /** Account that owns the source bucket (from the diagnosis, else the best hint). */
  readonly accountId: string;
  readonly previous?: PreviousCounts;
}

/** The finding of one aggregate, judged by `rule`. */
export const aggregateFinding = (
  rule: RuntimeRule<Aggregate>,
  { aggregate: agg, diagnosis, accountId, previous }: AggregateInput,
): RuleResult => {
  const pair = pairOf(agg);
  const failure = agg.kind === AggregateKind.Failure;
  const info = failure ? describeFailureReason(agg.failureReason ?? '') : undefined;
  const ruleIds = info?.ruleIds ?? REPLICATION_BREAKING_RULE_IDS;
  const root = rootCauseOnPair(diagnosis, pair, ruleIds);
  const objectLevel = info?.category === FailureCategory.Object && ruleIds.length === 0;
  const symptom = failure
    ? `Replication of ${pathOf(pair)} is failing with ${info?.reason}: ${info?.cause}.`
    : `Replication of ${pathOf(pair)} is missing the S3 Replication Time Control threshold.`;
  const prevFirst = previous?.firstSeen ? Date.parse(previous.firstSeen) : Number.NaN;
  const firstSeenMs = Number.isNaN(prevFirst) ? agg.firstSeenMs : Math.min(prevFirst, agg.firstSeenMs);
  const resources = resourcesOf(root);
  const destinationAccountId = destinationAccountOn(diagnosis, pair);
  const prevLast = previous?.lastSeen ? Date.parse(previous.lastSeen) : Number.NaN;
  const lastSeenMs = Number.isNaN(prevLast) ? agg.lastSeenMs : Math.max(prevLast, agg.lastSeenMs);
  return {
    ruleId: rule.id,
    status: 'NON_COMPLIANT',
    severity: rule.severity,
    bucket: agg.sourceBucket,
    destinationBucket: agg.destinationBucket,
    replicationRuleId: agg.replicationRuleId,
    message: `${symptom} ${explain(root, ruleIds, diagnosis, { objectLevel, label: failure ? 'Root cause' : 'Probable cause' })}`,
    remediation: remediationOf(
      rule,
      root,
      failure ? batchReplicationHint(accountId, agg.sourceBucket, agg.region) : '',
    ),
    hipaa: rule.hipaa,
    accountId,
    region: agg.region,
    ...(destinationAccountId ? { destinationAccountId } : {}),
    ...(resources.length > 0 ? { resources } : {}),
    details: {
      ...(failure ? { failureReason: agg.failureReason, cause: info?.cause, category: info?.category } : {}),
      count: agg.count + (previous?.count ?? 0),
      firstSeen: iso(firstSeenMs),
      lastSeen: iso(lastSeenMs),
      ...(failure
        ? {}
        : {
            missedThreshold: agg.byType[ReplicationEventType.MissedThreshold] ?? 0,
            replicatedAfterThreshold: agg.byType[ReplicationEventType.ReplicatedAfterThreshold] ?? 0,
          }),
      operations: agg.operations,
      sampleObjectKeys: agg.sampleObjectKeys,
      diagnosedRuleIds: ruleIds,
      rootCause: root.causes.map((c) => c.ruleId),
      diagnosis: diagnosis.ok ? 'complete' : 'unavailable',
    },
  };
};

/** Minutes, for messages. */
const minutes = (ms: number): string => `${Math.round(ms / 60_000)} minutes`;

/** True once `quietPeriodMs` has passed since the last event the stored finding counted. */
export const quietSince = (stored: PreviousFinding, now: Date, quietPeriodMs: number): boolean => {
  const last = Date.parse(stored.details?.lastSeen ?? stored.lastObservedAt ?? stored.updatedAt ?? '');
  return !Number.isNaN(last) && now.getTime() - last >= quietPeriodMs;
};

/**
 * Reassessment of a replication failure finding: it resolves when no failure event came for the quiet
 * period and the rules it was diagnosed with (none for object-level reasons) pass again on its pair.
 */
export const failureResolves = (
  stored: PreviousFinding,
  {
    pairResults: results,
    now,
    quietPeriodMs,
  }: { pairResults: readonly RuleResult[]; now: Date; quietPeriodMs: number },
): string | undefined => {
  if (!quietSince(stored, now, quietPeriodMs)) return undefined;
  const diagnosed = (stored.details?.diagnosedRuleIds ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const failing = results.filter(
    (r) => diagnosed.includes(r.ruleId) && (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN'),
  );
  if (failing.length > 0) return undefined;
  const passing = diagnosed.length > 0 ? `, and ${diagnosed.join(', ')} pass again` : '';
  return `no failure event for ${minutes(quietPeriodMs)}${passing}`;
};
