/** sweepSummary, the sweep's Summarise: totals of the Map run's results (S3), logged and as EMF metrics. */
import { readMapRunResults } from '../collect/sweepResults.js';
import type { SummaryEvent } from '../events/sweep.js';
import { count, MetricName } from '../middleware/observability.js';
import type { Runtime } from '../runtime/deps.js';
import { summarise, type SweepSummary } from '../triggers/sweepSummary.js';

/** Builds the sweepSummary behaviour: the summary is the execution's output. */
export const sweepSummaryHandler =
  (rt: Runtime) =>
  async (event: SummaryEvent): Promise<SweepSummary> => {
    const results = await readMapRunResults(rt.factory(), event.results.ResultWriterDetails);
    const summary = summarise(event.shards, results);
    count(rt.obs, MetricName.SweepBucketsEvaluated, summary.bucketsEvaluated);
    count(rt.obs, MetricName.SweepShardsFailed, summary.shardsFailed + summary.shardsNotRun);
    count(rt.obs, MetricName.SweepAccountsUnreachable, summary.accountsUnreachable);
    const log = summary.shardsFailed + summary.accountsUnreachable > 0 ? 'warn' : 'info';
    rt.obs.logger[log]('Organization sweep finished', { ...summary });
    return summary;
  };
