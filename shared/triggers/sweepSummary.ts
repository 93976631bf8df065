/**
 * The sweep's Summarise: the totals of a Map run from its child executions (what each shard returned, or
 * why it failed). The summary is the execution's output, so it stays small: lists are capped.
 */
import { shardSchema } from '../events/sweep.js';
import type { ChildExecution, MapRunResults } from '../collect/sweepResults.js';

/** Accounts and failed shards named in a summary at most (the counts are always complete). */
export const MAX_LISTED = 50;

export interface SweepSummary {
  readonly version: 1;
  readonly shards: number;
  readonly shardsSucceeded: number;
  readonly shardsFailed: number;
  /** Shards the run did not finish (an execution stopped or timed out). */
  readonly shardsNotRun: number;
  readonly bucketsEvaluated: number;
  readonly bucketsNotApplicable: number;
  /** Buckets that could not be read or decided (UNKNOWN results name the missing permission). */
  readonly bucketsFailed: number;
  readonly accountsUnreachable: number;
  readonly unreachableAccounts: readonly string[];
  readonly failedShards: readonly {
    readonly accountId?: string;
    readonly region?: string;
    readonly error: string;
  }[];
  readonly edgesWritten: number;
  readonly edgesRemoved: number;
}

const json = (text: string | undefined): Record<string, unknown> => {
  try {
    const value = JSON.parse(text ?? '') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The shard a failed child was given (its input is the Map item's shard event). */
const shardOfInput = (child: ChildExecution) => {
  const parsed = shardSchema.safeParse(json(child.Input).replguardSweep);
  return parsed.success ? { accountId: parsed.data.accountId, region: parsed.data.region } : {};
};

/** The totals of a Map run over `shards` shards. */
export const summarise = (shards: number, results: MapRunResults): SweepSummary => {
  const outputs = results.succeeded.map((c) => json(c.Output));
  const sum = (field: string) => outputs.reduce((total, o) => total + num(o[field]), 0);
  const edges = outputs.map((o) =>
    o.edges && typeof o.edges === 'object' ? (o.edges as Record<string, unknown>) : {},
  );
  const unreachable = [
    ...new Set(outputs.filter((o) => o.reachable === false).map((o) => String(o.accountId))),
  ].sort();
  const failed = results.failed.map((c) => ({ ...shardOfInput(c), error: c.Error ?? 'unknown error' }));
  return {
    version: 1,
    shards,
    shardsSucceeded: results.succeeded.length,
    shardsFailed: results.failed.length,
    shardsNotRun: Math.max(0, shards - results.succeeded.length - results.failed.length),
    bucketsEvaluated: sum('evaluated'),
    bucketsNotApplicable: sum('notApplicable'),
    bucketsFailed: sum('failed'),
    accountsUnreachable: unreachable.length,
    unreachableAccounts: unreachable.slice(0, MAX_LISTED),
    failedShards: failed.slice(0, MAX_LISTED),
    edgesWritten: edges.reduce((t, e) => t + num(e.written), 0),
    edgesRemoved: edges.reduce((t, e) => t + num(e.removed), 0),
  };
};
