/**
 * evaluateBucket: the AWS Config custom Lambda rule for AWS::S3::Bucket (configuration change, oversized
 * change, periodic), and one (account, Region) shard of the Organization sweep (infra/stack/sweep.yml).
 * Behaviour: shared/handlers/evaluateBucket.ts, scheduledRun.ts and sweepShard.ts.
 */
import middy from '@middy/core';
import { parseEvaluateBucketEvent } from '../shared/events/sweep.js';
import { evaluateBucketHandler } from '../shared/handlers/evaluateBucket.js';
import { defaultRuntime } from '../shared/runtime/deps.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const rt = defaultRuntime('evaluateBucket');

/** A continuation of a scheduled run keeps the correlation id of the run it continues. */
const continuationId = (event: { replguardContinuation?: { correlationId?: string } } | null) =>
  event?.replguardContinuation?.correlationId;

export const handler = middy(evaluateBucketHandler(rt))
  .use(observe(rt.obs, continuationId))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseEvaluateBucketEvent));
