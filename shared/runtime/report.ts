import { REPORTED } from '../engine/judge.js';
import type { PathOutcome } from '../engine/path.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import type { Runtime } from './deps.js';

/** Counts what a path run did in the function's metrics: buckets evaluated, findings by transition, alerts, failures. */
export const recordOutcome = (rt: Runtime, outcome: PathOutcome): void => {
  count(rt.obs, MetricName.Evaluations, outcome.judgements.filter((j) => REPORTED.includes(j.kind)).length);
  if (outcome.summary) countPublished(rt.obs, outcome.summary);
};

/** Logs why an event changes nothing (never its content) and counts it in `EventsIgnored`. */
export const recordIgnored = (rt: Runtime, why: string, where: Record<string, unknown>): void => {
  rt.obs.logger.info(`Event ignored: ${why}`, where);
  count(rt.obs, MetricName.EventsIgnored, 1);
};
