/**
 * Structured JSON logs (Powertools Logger) and CloudWatch EMF metrics (Powertools Metrics) for the
 * functions. One pair per function, created at module load like Powertools recommends.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'replguard';
export const METRICS_NAMESPACE = 'ReplGuard';

/** The metric names ReplGuard emits (a public contract for dashboards and alarms). */
export const MetricName = {
  /** Buckets evaluated against the rule catalog. */
  Evaluations: 'Evaluations',
  /** Findings published, with dimension `Transition` (new, changed, resolved, unchanged). */
  Findings: 'Findings',
  /** Findings that changed state (new, changed, resolved), with dimensions `Transition` and `Severity`. */
  FindingsBySeverity: 'FindingsBySeverity',
  /** SNS alerts sent. */
  AlertsSent: 'AlertsSent',
  /** Findings the pipeline could not write after its retries. */
  PublishFailures: 'PublishFailures',
  /** Replication events read from the queue. */
  EventsReceived: 'EventsReceived',
  /** Replication events folded into an aggregate. */
  EventsAggregated: 'EventsAggregated',
  /** Distinct aggregates (one finding each) in a batch. */
  Aggregates: 'Aggregates',
  /** Events acknowledged without a finding (s3:TestEvent, OperationNotTracked, other notification types, failed API calls). */
  EventsIgnored: 'EventsIgnored',
  /** Queue messages that could not be read (reported as batch item failures; they reach the DLQ). */
  MalformedMessages: 'MalformedMessages',
  /** Invocations that ended in an error, with dimension `ErrorName`. */
  Failures: 'Failures',
  /** Buckets a scheduled run left for its continuation (or the next run). */
  BucketsDeferred: 'BucketsDeferred',
  /** Buckets an API call affected and re-evaluated. */
  AffectedBuckets: 'AffectedBuckets',
  /** Risk exceptions that are malformed, name an unknown rule, or could not be read. */
  ExceptionProblems: 'ExceptionProblems',
  /**
   * Seconds from writing a canary object to the first sight of its replica (replicationCanary), with dimension
   * `SourceBucket` (never an object key).
   */
  ReplicationCanaryLatency: 'ReplicationCanaryLatency',
  /** Buckets an Organization sweep evaluated (sweepSummary, once per execution). */
  SweepBucketsEvaluated: 'SweepBucketsEvaluated',
  /** Shards of an Organization sweep that failed after their retries or were not run. */
  SweepShardsFailed: 'SweepShardsFailed',
  /** Accounts an Organization sweep could not enter (no member role). */
  SweepAccountsUnreachable: 'SweepAccountsUnreachable',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly functionName: string;
}

/** Field names whose values are object keys (PHI risk): the logger never prints them, whatever a caller passes. */
const OBJECT_KEY_FIELDS: ReadonlySet<string> = new Set([
  'objectKey',
  'sampleObjectKeys',
  'key',
  'keys',
  'urlDecodedKey',
]);

/** JSON replacer of the logger: object-key fields become `[redacted]` (defence in depth; callers never log keys). */
export const redactingReplacer = (key: string, value: unknown): unknown =>
  OBJECT_KEY_FIELDS.has(key) && value !== undefined && value !== null ? '[redacted]' : value;

/** The logger and metrics of one function (`functionName` is the metrics' `function` dimension). */
export const createObservability = (functionName: string): Observability => ({
  functionName,
  logger: new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    persistentKeys: { function: functionName },
    jsonReplacerFn: redactingReplacer,
  }),
  metrics: new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    defaultDimensions: { function: functionName },
  }),
});

/** Adds a count (skipped when zero, so dashboards show real activity only). */
export const count = (obs: Observability, name: MetricName, value: number): void => {
  if (value > 0) obs.metrics.addMetric(name, MetricUnit.Count, value);
};

/** Adds a count under one extra dimension (emitted as its own EMF document). */
export const countBy = (
  obs: Observability,
  name: MetricName,
  dimension: string,
  dimensionValue: string,
  value: number,
): void => {
  if (value <= 0) return;
  const single = obs.metrics.singleMetric();
  single.addDimension(dimension, dimensionValue);
  single.addMetric(name, MetricUnit.Count, value);
};

/** One replication canary latency, dimensioned by its source bucket (emitted as its own EMF document). */
export const recordCanaryLatency = (obs: Observability, sourceBucket: string, seconds: number): void => {
  const single = obs.metrics.singleMetric();
  single.addDimension('SourceBucket', sourceBucket);
  single.addMetric(MetricName.ReplicationCanaryLatency, MetricUnit.Seconds, seconds);
};

/** What the findings pipeline reports after a publish. */
export interface PublishCounts {
  readonly new: number;
  readonly changed: number;
  readonly resolved: number;
  readonly unchanged: number;
  readonly messagesSent: number;
  readonly failed: readonly unknown[];
  /** Transitions by `<transition>|<severity>` (new, changed, resolved). */
  readonly bySeverity?: Readonly<Record<string, number>>;
}

/** Findings by transition, alerts sent and publish failures, from a publish summary. */
export const countPublished = (obs: Observability, summary: PublishCounts): void => {
  for (const transition of ['new', 'changed', 'resolved', 'unchanged'] as const)
    countBy(obs, MetricName.Findings, 'Transition', transition, summary[transition]);
  for (const [key, value] of Object.entries(summary.bySeverity ?? {})) {
    const [transition = '', severity = ''] = key.split('|');
    if (value <= 0) continue;
    const single = obs.metrics.singleMetric();
    single.addDimensions({ Transition: transition, Severity: severity });
    single.addMetric(MetricName.FindingsBySeverity, MetricUnit.Count, value);
  }
  count(obs, MetricName.AlertsSent, summary.messagesSent);
  count(obs, MetricName.PublishFailures, summary.failed.length);
};
