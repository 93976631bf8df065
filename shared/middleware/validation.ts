import { EventError, EventErrorCode } from '../events/errors.js';
import { markLogged } from './errorHandler.js';
import { count, MetricName, type Observability } from './observability.js';

interface Request {
  event: unknown;
}

/**
 * Validates the event with `parse` (a zod-backed parser of shared/events) and replaces it with the parsed
 * value. Bad input is logged with its reason (field paths and what is wrong, never the values) and rejected
 * by throwing, so the trigger's retry and dead-letter policy applies; the error handler rethrows it.
 */
export const validateEvent = <T>(obs: Observability, parse: (event: unknown) => T) => {
  const validateEventBefore = (request: Request): void => {
    try {
      request.event = parse(request.event);
    } catch (error) {
      const problems = error instanceof EventError ? error.problems : [];
      const code = error instanceof EventError ? error.code : EventErrorCode.InvalidEvent;
      obs.logger.error('Rejected invalid input', { code, reason: (error as Error).message, problems });
      count(obs, MetricName.MalformedMessages, 1);
      throw markLogged(error);
    }
  };
  return { before: validateEventBefore };
};
