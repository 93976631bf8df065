import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { correlationId, type CorrelationIdOf } from './correlation.js';
import type { Observability } from './observability.js';

export { correlationId } from './correlation.js';
export { describeError, errorHandler, markLogged } from './errorHandler.js';
export { count, countBy, countPublished, createObservability, MetricName } from './observability.js';
export type { Observability } from './observability.js';
export { validateEvent } from './validation.js';

/**
 * The observability middlewares, in order: Lambda context on every log line (keys reset per invocation),
 * EMF metrics flushed after each invocation (errors included) with a cold-start metric, and the correlation id.
 */
export const observe = <E>(obs: Observability, of?: CorrelationIdOf<E>) => [
  injectLambdaContext(obs.logger, { resetKeys: true }),
  logMetrics(obs.metrics, { captureColdStartMetric: true }),
  correlationId(obs, of),
];
