/**
 * sweepSummary: the Organization sweep's Summarise task (infra/stack/sweep.yml): totals of the Map run's
 * results, logged and as EMF metrics; the summary is the execution's output.
 * Behaviour: shared/handlers/sweepSummary.ts.
 */
import middy from '@middy/core';
import { parseSummaryEvent } from '../shared/events/sweep.js';
import { sweepSummaryHandler } from '../shared/handlers/sweepSummary.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';
import { defaultRuntime } from '../shared/runtime/deps.js';

const rt = defaultRuntime('sweepSummary');

export const handler = middy(sweepSummaryHandler(rt))
  .use(observe(rt.obs))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseSummaryEvent));
