/**
 * onReplicationAlarm: EventBridge "CloudWatch Alarm State Change" events for alarms on AWS/S3 replication
 * metrics. Behaviour: shared/handlers/replicationAlarm.ts.
 */
import middy from '@middy/core';
import { parseAlarmEvent } from '../shared/events/alarm.js';
import { replicationAlarmHandler } from '../shared/handlers/replicationAlarm.js';
import { defaultDeps } from '../shared/handlers/runtime.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const deps = defaultDeps('onReplicationAlarm');

/** The EventBridge event id. */
const eventId = (event: { id?: string } | null) => event?.id;

export const handler = middy(replicationAlarmHandler(deps))
  .use(observe(deps.obs, eventId))
  .use(errorHandler(deps.obs))
  .use(validateEvent(deps.obs, parseAlarmEvent));
