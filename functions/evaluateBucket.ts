/**
 * evaluateBucket: the AWS Config custom Lambda rule for AWS::S3::Bucket (configuration change, oversized
 * change, periodic). Behaviour: shared/handlers/evaluateBucket.ts and scheduledRun.ts.
 */
import middy from '@middy/core';
import { parseConfigRuleEvent } from '../shared/events/configRule.js';
import { evaluateBucketHandler } from '../shared/handlers/evaluateBucket.js';
import { defaultDeps } from '../shared/handlers/runtime.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const deps = defaultDeps('evaluateBucket');

/** A continuation of a scheduled run keeps the correlation id of the run it continues. */
const continuationId = (event: { replguardContinuation?: { correlationId?: string } } | null) =>
  event?.replguardContinuation?.correlationId;

export const handler = middy(evaluateBucketHandler(deps))
  .use(observe(deps.obs, continuationId))
  .use(errorHandler(deps.obs))
  .use(validateEvent(deps.obs, parseConfigRuleEvent));
