/**
 * EventBridge scheduled events ("Scheduled Event" from aws.events,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html): what starts the
 * replication canary. Only the id (the run's correlation id), the time and the account are used.
 */
import { z } from 'zod';
import { describeIssues, EventError, EventErrorCode } from './errors.js';

export const scheduledEventSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  time: z.string().optional(),
  region: z.string().min(1),
  resources: z.array(z.string()).optional(),
});
export type ScheduledEvent = z.input<typeof scheduledEventSchema>;

export interface ScheduledRun {
  readonly eventId: string;
  readonly accountId: string;
  readonly region: string;
  readonly time?: string;
  /** The schedule rule that fired. */
  readonly rule?: string;
}

/** Validates a scheduled event; throws {@link EventError} `INVALID_EVENT` for anything else. */
export const parseScheduledEvent = (event: unknown): ScheduledRun => {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success)
    throw new EventError(
      'Not an EventBridge "Scheduled Event"',
      EventErrorCode.InvalidEvent,
      describeIssues(parsed.error),
    );
  const e = parsed.data;
  const rule = e.resources?.find((r) => r.includes(':rule/'));
  return {
    eventId: e.id,
    accountId: e.account,
    region: e.region,
    ...(e.time ? { time: e.time } : {}),
    ...(rule ? { rule } : {}),
  };
};
