/**
 * replicationCanary: an EventBridge schedule (`CanaryRate`) writes a canary object through each opted-in
 * replication pair and raises `replication_canary_failed` when its replica does not arrive in time.
 * Behaviour: shared/handlers/replicationCanary.ts; docs/canary.md.
 */
import middy from '@middy/core';
import { parseScheduledEvent } from '../shared/events/schedule.js';
import { replicationCanaryHandler } from '../shared/handlers/replicationCanary.js';
import { defaultRuntime } from '../shared/runtime/deps.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const rt = defaultRuntime('replicationCanary');

/** The EventBridge event id. */
const eventId = (event: { id?: string } | null) => event?.id;

export const handler = middy(replicationCanaryHandler(rt))
  .use(observe(rt.obs, eventId))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseScheduledEvent));
