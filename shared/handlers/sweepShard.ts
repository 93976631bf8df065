/** evaluateBucket's sweep path: one (account, Region) shard of the Organization sweep (shared/triggers/sweep.ts). */
import type { Context } from 'aws-lambda';
import { runPath, throwIfFailed } from '../engine/path.js';
import type { ShardInvocation } from '../events/sweep.js';
import { pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordOutcome } from '../runtime/report.js';
import { rebuildEdges, type ShardOutcome, shardOutcome, shardWork } from '../triggers/sweep.js';

/**
 * Runs one shard invocation; it rebuilds the shard's part of the edge index when the runtime has one. A
 * shard's publishing failures fail it (the Map retries it), except the UNKNOWN result of an account that
 * cannot be entered, which cannot be imported there either: the shard reports it and succeeds.
 */
export const runShard = async (
  rt: Runtime,
  { shard }: ShardInvocation,
  context?: Context,
): Promise<ShardOutcome> => {
  const ctx = pathContextOf(rt);
  const { concurrency, reserveMs } = rt.config();
  const built = await shardWork(ctx, shard, { ...(context ? { context } : {}), reserveMs, concurrency });
  const ran = await runPath(ctx, built.work);
  const outcome = built.kind === 'shard' ? throwIfFailed(ran) : ran;
  recordOutcome(rt, outcome);
  const targets = built.kind === 'shard' ? built.work.targets : [];
  const result: ShardOutcome = {
    ...shardOutcome(shard, built.kind === 'shard', outcome, targets),
    ...(await rebuildEdges(rt.edges(), shard, built)),
    ...(built.kind === 'unreachable'
      ? { unreachable: { reason: built.reason, published: outcome.failed.length === 0 } }
      : {}),
  };
  const log = built.kind === 'unreachable' ? 'warn' : 'info';
  rt.obs.logger[log]('Sweep shard evaluated', {
    ...result,
    next: undefined,
    publishFailures: outcome.failed.map((f) => f.reason),
  });
  return result;
};
