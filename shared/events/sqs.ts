/**
 * The SQS batch event Lambda receives from an event source mapping
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). Only the envelope is validated here; each
 * body is read on its own so one bad message fails alone (`batchItemFailures`), not the batch.
 */
import { z } from 'zod';
import { describeIssues, EventError, EventErrorCode } from './errors.js';

export const sqsRecordSchema = z.looseObject({
  messageId: z.string().min(1),
  receiptHandle: z.string().optional(),
  body: z.string(),
  attributes: z
    .looseObject({
      ApproximateReceiveCount: z.string().optional(),
      SentTimestamp: z.string().optional(),
    })
    .optional(),
  messageAttributes: z.record(z.string(), z.unknown()).optional(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string().optional(),
  awsRegion: z.string().optional(),
});
export type SqsRecord = z.infer<typeof sqsRecordSchema>;

export const sqsEventSchema = z.looseObject({ Records: z.array(sqsRecordSchema) });
export type SqsEvent = z.infer<typeof sqsEventSchema>;

/** Validates the batch envelope. Throws {@link EventError} `INVALID_EVENT` when it is not an SQS batch. */
export const parseSqsEvent = (event: unknown): SqsEvent => {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success)
    throw new EventError('Not an SQS batch event', EventErrorCode.InvalidEvent, describeIssues(parsed.error));
  return parsed.data;
};

/** How many times SQS has delivered the record (1 on the first delivery). */
export const receiveCountOf = (record: SqsRecord): number =>
  Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
