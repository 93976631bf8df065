import { countBy, MetricName, type Observability } from './observability.js';

const logged = new WeakSet<object>();

/** Marks an error as logged already (the error handler then only counts it). Returns it for `throw`. */
export const markLogged = <E>(error: E): E => {
  if (typeof error === 'object' && error !== null) logged.add(error);
  return error;
};

/** Name, code and message of an error and of its causes (no stack traces of values, no event content). */
export const describeError = (error: unknown, depth = 0): Record<string, unknown> => {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: describeError(error.cause, depth + 1) } : {}),
  };
};

interface Request {
  error?: unknown;
  response?: unknown;
}

/**
 * Logs every error once (with its cause chain), counts it in the `Failures` metric by error name, and lets
 * it propagate: it never sets a response, so middy rethrows and Lambda's retries, dead-letter queues and
 * on-failure destinations see the failure. Nothing is swallowed.
 */
export const errorHandler = (obs: Observability) => {
  const errorHandlerOnError = (request: Request): void => {
    const error = request.error;
    const name = error instanceof Error ? error.name : 'Error';
    if (!(typeof error === 'object' && error !== null && logged.has(error)))
      obs.logger.error('Invocation failed', { error: describeError(error) });
    countBy(obs, MetricName.Failures, 'ErrorName', name, 1);
  };
  return { onError: errorHandlerOnError };
};
