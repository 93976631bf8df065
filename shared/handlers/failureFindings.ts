/**
 * Runtime findings from replication event aggregates: one `replication_operations_failing` finding per
 * (pair, failureReason) and one `replication_threshold_missed` per pair, each naming the pair, the reason,
 * what it means and the diagnosed root cause. Volatile numbers (counts, first/last seen, operations, sample
 * keys) live in `details`, never in the message, so a growing storm updates the finding without re-alerting.
 */
import { type Aggregate, AggregateKind } from '../events/aggregate.js';
import {
  describeFailureReason,
  FailureCategory,
  REPLICATION_BREAKING_RULE_IDS,
} from '../events/failureReasons.js';
import {
  replicationOperationsFailing,
  replicationThresholdMissed,
  type RuntimeRule,
} from '../events/runtimeRules.js';
import { ReplicationEventType } from '../events/s3Replication.js';
import type { ResourceRef, RuleResult } from '../rules/types.js';
import { type Diagnosis, type PairRef, pairResults, type RootCause, rootCauseOf } from './diagnose.js';

/** Counts carried over from the finding already stored (earlier batches of the same storm). */
export interface PreviousCounts {
  readonly count: number;
  readonly firstSeen?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const pathOf = (pair: PairRef): string =>
  `${pair.bucket} to ${pair.destinationBucket} (rule ${pair.replicationRuleId})`;

/** What the diagnosis says about a symptom, one sentence per cause (in catalog order). */
export const explain = (
  root: RootCause,
  ruleIds: readonly string[],
  diagnosis: Diagnosis,
  options: { readonly objectLevel?: boolean; readonly label?: string } = {},
): string => {
  if (!diagnosis.ok) return `Diagnosis unavailable: ${diagnosis.reason}.`;
  if (root.causes.length > 0)
    return `${options.label ?? 'Root cause'}: ${root.causes.map((c) => `[${c.ruleId}] ${c.message}`).join(' ')}`;
  if (root.unverified.length > 0)
    return `Could not verify ${[...new Set(root.unverified.map((u) => u.ruleId))].join(', ')}: ${root.unverified[0]?.message ?? ''}`;
  const others = [...new Set(root.otherProblems.map((o) => o.ruleId))];
  const checked =
    ruleIds === REPLICATION_BREAKING_RULE_IDS ? 'the rules that can stop replication' : ruleIds.join(', ');
  const found = options.objectLevel
    ? 'This reason concerns the objects themselves rather than the configuration'
    : `ReplGuard found no configuration problem in ${checked}; the cause may be transient or outside what ReplGuard reads`;
  return `${found}${others.length > 0 ? `; other problems on this path: ${others.join(', ')}` : ''}.`;
};

export const remediationOf = (rule: RuntimeRule, root: RootCause, extra: string): string => {
  const fixes = [...new Set(root.causes.map((c) => c.remediation).filter(Boolean))];
  return [...(fixes.length > 0 ? fixes : [rule.remediation.text]), extra].filter(Boolean).join('\n');
};

export const resourcesOf = (root: RootCause): ResourceRef[] => {
  const seen = new Map<string, ResourceRef>();
  for (const r of [...root.causes, ...root.unverified])
    for (const ref of r.resources ?? []) seen.set(ref.id, ref);
  return [...seen.values()];
};

/** The S3 Batch Replication command that re-replicates the objects whose replication failed. */
export const batchReplicationHint = (accountId: string, bucket: string, region: string): string =>
  `S3 Batch Replication job for the objects that failed (run it once the cause is fixed): aws s3control create-job --region ${region} ` +
  `--account-id ${accountId} --operation '{"S3ReplicateObject":{}}' --manifest-generator ` +
  `'{"S3JobManifestGenerator":{"SourceBucket":"arn:aws:s3:::${bucket}","EnableManifestOutput":false,` +
  `"Filter":{"EligibleForReplication":true,"ObjectReplicationStatuses":["FAILED"]}}}' ` +
  `--report '{"Enabled":false}' --priority 10 --role-arn <batch-replication-role-arn> --no-confirmation-required`;

interface BuildInput {
  readonly aggregate: Aggregate;
  readonly diagnosis: Diagnosis;
  /** Account that owns the source bucket (from the diagnosis, else the best hint). */
  readonly accountId: string;
  readonly previous?: PreviousCounts;
}

/** The finding of one aggregate. */
export const findingForAggregate = ({
  aggregate: agg,
  diagnosis,
  accountId,
  previous,
}: BuildInput): RuleResult => {
  const pair: PairRef = {
    bucket: agg.sourceBucket,
    destinationBucket: agg.destinationBucket,
    replicationRuleId: agg.replicationRuleId,
  };
  const results = diagnosis.ok ? pairResults(diagnosis.results, pair) : [];
  const failure = agg.kind === AggregateKind.Failure;
  const info = failure ? describeFailureReason(agg.failureReason ?? '') : undefined;
  const ruleIds = info?.ruleIds ?? REPLICATION_BREAKING_RULE_IDS;
  const root = rootCauseOf(results, ruleIds);
  const rule = failure ? replicationOperationsFailing : replicationThresholdMissed;
  const objectLevel = info?.category === FailureCategory.Object && ruleIds.length === 0;
  const symptom = failure
    ? `Replication of ${pathOf(pair)} is failing with ${info?.reason}: ${info?.cause}.`
    : `Replication of ${pathOf(pair)} is missing the S3 Replication Time Control threshold.`;
  const prevFirst = previous?.firstSeen ? Date.parse(previous.firstSeen) : Number.NaN;
  const firstSeenMs = Number.isNaN(prevFirst) ? agg.firstSeenMs : Math.min(prevFirst, agg.firstSeenMs);
  const resources = resourcesOf(root);
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
    ...(resources.length > 0 ? { resources } : {}),
    details: {
      ...(failure ? { failureReason: agg.failureReason, cause: info?.cause, category: info?.category } : {}),
      count: agg.count + (previous?.count ?? 0),
      firstSeen: iso(firstSeenMs),
      lastSeen: iso(agg.lastSeenMs),
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
