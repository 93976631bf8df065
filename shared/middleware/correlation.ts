import type { Context } from 'aws-lambda';
import type { Observability } from './observability.js';

/** Picks the correlation id of an invocation from its event (an EventBridge id, a continuation's id, …). */
export type CorrelationIdOf<E> = (event: E, context: Context) => string | undefined;

interface Request<E> {
  readonly event: E;
  readonly context: Context;
}

/**
 * Sets `correlation_id` on every log line of the invocation: the id `of` finds in the event, else the
 * Lambda request id. Runs after Powertools' `injectLambdaContext` (which resets the keys between invocations).
 */
export const correlationId = <E>(obs: Observability, of?: CorrelationIdOf<E>) => {
  const correlationIdBefore = (request: Request<E>): void => {
    const id = of?.(request.event, request.context) || request.context.awsRequestId;
    if (id) obs.logger.setCorrelationId(id);
  };
  return { before: correlationIdBefore };
};
