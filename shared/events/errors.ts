import type { z } from 'zod';

/** Stable codes of {@link EventError}. */
export const EventErrorCode = {
  /** The event does not have the shape its trigger documents. */
  InvalidEvent: 'INVALID_EVENT',
  /** The Config rule's `ruleParameters` (or the equivalent environment variables) are not valid. */
  InvalidRuleParameters: 'INVALID_RULE_PARAMETERS',
  /** One message of a batch (an SQS record body) could not be read. */
  InvalidMessage: 'INVALID_MESSAGE',
} as const;
export type EventErrorCode = (typeof EventErrorCode)[keyof typeof EventErrorCode];

/**
 * Bad input from a trigger. `problems` are safe to log: each names a field path and what is wrong with it,
 * never the value found there (values may be object keys, which can be PHI).
 */
export class EventError extends Error {
  override readonly name = 'EventError';
  constructor(
    message: string,
    readonly code: EventErrorCode,
    readonly problems: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length ? `${message}: ${problems.join('; ')}` : message, options);
  }
}

/** Zod issues as `path: message` lines (zod's messages name expected types, not the values received). */
export const describeIssues = (error: z.ZodError, prefix = ''): string[] =>
  error.issues.slice(0, 10).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });

/**
 * Parses JSON text without ever echoing it: V8's `SyntaxError` quotes the input, which may hold object
 * keys. Throws {@link EventError} naming only what was expected and the text's length.
 */
export const parseJsonText = (
  text: string,
  what: string,
  code: EventErrorCode = EventErrorCode.InvalidEvent,
): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EventError(`${what} is not valid JSON (${text.length} characters)`, code);
  }
};
