import { REPORTED } from '../engine/judge.js';
import type { PathOutcome } from '../engine/path.js';
import type { CanaryRun } from '../canary/run.js';
import { count, countPublished, MetricName, recordCanaryLatency } from '../middleware/observability.js';
import type { Runtime } from './deps.js';

/** Counts what a path run did in the function's metrics: buckets evaluated, findings by transition, alerts, failures. */
export const recordOutcome = (rt: Runtime, outcome: PathOutcome): void => {
  count(rt.obs, MetricName.Evaluations, outcome.judgements.filter((j) => REPORTED.includes(j.kind)).length);
  if (outcome.summary) countPublished(rt.obs, outcome.summary);
  reportExceptions(rt, outcome);
};

/**
 * Reports what is wrong with the risk exceptions (malformed, unknown rule, unreadable parameter) and the
 * expired ones that covered a result of this run: never ignored silently.
 */
const reportExceptions = (rt: Runtime, outcome: PathOutcome): void => {
  const { problems, source } = outcome.exceptions;
  for (const problem of problems)
    rt.obs.logger.error('Invalid risk exception (not applied)', { source, problem });
  count(rt.obs, MetricName.ExceptionProblems, problems.length);
  const expired = outcome.results.filter((r) => r.exception?.status === 'expired');
  for (const r of expired)
    rt.obs.logger.warn('Risk exception expired: the finding is active again', {
      bucket: r.bucket,
      ruleId: r.ruleId,
      expires: r.exception?.expires,
      owner: r.exception?.owner,
    });
};

/** Logs why an event changes nothing (never its content) and counts it in `EventsIgnored`. */
export const recordIgnored = (rt: Runtime, why: string, where: Record<string, unknown>): void => {
  rt.obs.logger.info(`Event ignored: ${why}`, where);
  count(rt.obs, MetricName.EventsIgnored, 1);
};

/**
 * What a canary run did, in metrics and logs: one `ReplicationCanaryLatency` per replica seen (by source
 * bucket), a warning per problem that did not stop it (a missing lifecycle rule…), an error per failed write.
 */
export const recordCanaryRun = (rt: Runtime, run: CanaryRun): void => {
  for (const v of run.verdicts)
    if (v.latencySeconds !== undefined) recordCanaryLatency(rt.obs, v.pair.bucket, v.latencySeconds);
  for (const s of run.skipped)
    rt.obs.logger.info(`Replication canary skipped a bucket: ${s.reason}`, { bucket: s.bucket });
  for (const w of run.warnings) rt.obs.logger.warn(`Replication canary: ${w.reason}`, { bucket: w.bucket });
  for (const e of run.errors) rt.obs.logger.error(`Replication canary: ${e.reason}`, { bucket: e.bucket });
};
