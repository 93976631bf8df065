/**
 * onReplicationFailure: S3 replication events from the SQS queue (raw or SNS-wrapped, s3:TestEvent
 * acknowledged), aggregated into findings; unreadable or unpublished messages come back as
 * `batchItemFailures` (the event source mapping uses ReportBatchItemFailures). Behaviour:
 * shared/handlers/replicationFailure.ts.
 */
import middy from '@middy/core';
import { parseSqsEvent } from '../shared/events/sqs.js';
import { replicationFailureHandler } from '../shared/handlers/replicationFailure.js';
import { defaultRuntime } from '../shared/runtime/deps.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const rt = defaultRuntime('onReplicationFailure');

export const handler = middy(replicationFailureHandler(rt))
  .use(observe(rt.obs))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseSqsEvent));
