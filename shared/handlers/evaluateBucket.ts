/** evaluateBucket, the AWS Config custom rule: a changed bucket, an oversized change, or the periodic run; and a shard of the Organization sweep. */
import type { Context } from 'aws-lambda';
import type { ConfigInvocation } from '../events/configRule.js';
import type { ShardInvocation } from '../events/sweep.js';
import type { Runtime } from '../runtime/deps.js';
import type { ConfigChangeOutcome, ScheduledOutcome } from '../triggers/configRule.js';
import type { ShardOutcome } from '../triggers/sweep.js';
import { evaluateChange } from './configItemChange.js';
import { runScheduled } from './scheduledRun.js';
import { runShard } from './sweepShard.js';

export type EvaluateBucketOutcome =
  | ConfigChangeOutcome
  | ({ readonly kind: 'scheduled' } & ScheduledOutcome)
  | ({ readonly kind: 'sweep' } & ShardOutcome);

/** Builds the evaluateBucket behaviour. */
export const evaluateBucketHandler =
  (rt: Runtime) =>
  async (invocation: ConfigInvocation | ShardInvocation, context?: Context): Promise<EvaluateBucketOutcome> =>
    invocation.kind === 'sweep'
      ? { kind: 'sweep', ...(await runShard(rt, invocation, context)) }
      : invocation.kind === 'scheduled'
        ? { kind: 'scheduled', ...(await runScheduled(rt, invocation, context)) }
        : evaluateChange(rt, invocation);
