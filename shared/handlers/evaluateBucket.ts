/** evaluateBucket, the AWS Config custom rule: a changed bucket, an oversized change, or the periodic run. */
import type { Context } from 'aws-lambda';
import type { ConfigInvocation } from '../events/configRule.js';
import type { Runtime } from '../runtime/deps.js';
import type { ConfigChangeOutcome, ScheduledOutcome } from '../triggers/configRule.js';
import { evaluateChange } from './configItemChange.js';
import { runScheduled } from './scheduledRun.js';

export type EvaluateBucketOutcome = ConfigChangeOutcome | ({ readonly kind: 'scheduled' } & ScheduledOutcome);

/** Builds the evaluateBucket behaviour. */
export const evaluateBucketHandler =
  (rt: Runtime) =>
  async (invocation: ConfigInvocation, context?: Context): Promise<EvaluateBucketOutcome> =>
    invocation.kind === 'scheduled'
      ? { kind: 'scheduled', ...(await runScheduled(rt, invocation, context)) }
      : evaluateChange(rt, invocation);
