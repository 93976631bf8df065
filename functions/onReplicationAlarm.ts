/**
 * onReplicationAlarm: EventBridge "CloudWatch Alarm State Change" events for alarms on AWS/S3 replication
 * metrics. Behaviour: shared/handlers/replicationAlarm.ts.
 */
import middy from '@middy/core';
import { parseAlarmEvent } from '../shared/events/alarm.js';
import { replicationAlarmHandler } from '../shared/handlers/replicationAlarm.js';
import { defaultRuntime } from '../shared/runtime/deps.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const rt = defaultRuntime('onReplicationAlarm');

/** The EventBridge event id. */
const eventId = (event: { id?: string } | null) => event?.id;

export const handler = middy(replicationAlarmHandler(rt))
  .use(observe(rt.obs, eventId))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseAlarmEvent));
