/**
 * onConfigChange: EventBridge "AWS API Call via CloudTrail" events for S3, KMS and IAM calls that can break
 * replication (IAM ones arrive from us-east-1). Behaviour: shared/handlers/configChange.ts.
 */
import middy from '@middy/core';
import { parseApiCallEvent } from '../shared/events/cloudTrail.js';
import { configChangeHandler } from '../shared/handlers/configChange.js';
import { defaultRuntime } from '../shared/runtime/deps.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const rt = defaultRuntime('onConfigChange');

/** The EventBridge event id. */
const eventId = (event: { id?: string } | null) => event?.id;

export const handler = middy(configChangeHandler(rt))
  .use(observe(rt.obs, eventId))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseApiCallEvent));
