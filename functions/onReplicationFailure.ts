/**
 * onReplicationFailure: S3 replication events from the SQS queue (raw or SNS-wrapped, s3:TestEvent
 * acknowledged), aggregated into findings; unreadable or unpublished messages come back as
 * `batchItemFailures` (the event source mapping uses ReportBatchItemFailures). Behaviour:
 * shared/handlers/replicationFailure.ts.
 */
import middy from '@middy/core';
import { parseSqsEvent } from '../shared/events/sqs.js';
import { replicationFailureHandler } from '../shared/handlers/replicationFailure.js';
import { defaultDeps } from '../shared/handlers/runtime.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';

const deps = defaultDeps('onReplicationFailure');

export const handler = middy(replicationFailureHandler(deps))
  .use(observe(deps.obs))
  .use(errorHandler(deps.obs))
  .use(validateEvent(deps.obs, parseSqsEvent));
