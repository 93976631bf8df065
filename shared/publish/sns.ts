import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { awsErrorCode, isAccessDenied } from '../aws/errors.js';
import { shortHash } from '../findings/identity.js';
import type { OutgoingMessage } from './alert.js';
import { batchBy } from './batching.js';
import type { FailedItem } from './errors.js';
import { backoffMs, realTimer, type Timer } from './throttle.js';
import { utf8Bytes } from './text.js';

/** PublishBatch: at most 10 entries and 256 KB in total per request. */
const SNS_BATCH = { maxCount: 10, maxBytes: 256 * 1024 } as const;

export interface SendOptions {
  readonly maxAttempts?: number;
  readonly timer?: Timer;
}

export interface SendOutcome {
  readonly sent: OutgoingMessage[];
  /** Ids are `alert:<finding id>` or `chat:<finding id>`. */
  readonly failed: FailedItem[];
}

const messageBytes = (m: OutgoingMessage): number =>
  utf8Bytes(m.body) +
  utf8Bytes(m.subject) +
  Object.entries(m.attributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v) + 'String'.length, 0);

const toEntry = (m: OutgoingMessage, index: number, fifo: boolean): PublishBatchRequestEntry => ({
  Id: `m${index}`,
  Subject: m.subject,
  Message: m.body,
  MessageAttributes: Object.fromEntries(
    Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
  ),
  // FIFO topics: one group per finding keeps its transitions in order; the id makes retries deduplicate.
  ...(fifo
    ? {
        MessageGroupId: shortHash(m.findingId),
        MessageDeduplicationId: shortHash([m.findingId, m.transition, m.format, m.body]),
      }
    : {}),
});

/** Errors a retry cannot fix: the topic is missing, the request is invalid, or we may not publish. */
const PERMANENT_ERRORS = new Set([
  'NotFound',
  'NotFoundException',
  'InvalidParameter',
  'InvalidParameterException',
]);

/**
 * Publishes messages to `topicArn` with PublishBatch (≤10 entries, ≤256 KB a request). Entries SNS
 * rejects for reasons not of the sender's making, and whole requests that fail transiently, are retried
 * with backoff; what still fails is returned, never dropped.
 */
export const sendMessages = async (
  client: SNSClient,
  topicArn: string,
  messages: readonly OutgoingMessage[],
  options: SendOptions = {},
): Promise<SendOutcome> => {
  const timer = options.timer ?? realTimer;
  const maxAttempts = options.maxAttempts ?? 3;
  const fifo = topicArn.endsWith('.fifo');
  const sent: OutgoingMessage[] = [];
  const reasons = new Map<OutgoingMessage, string>();
  let pending = [...messages];
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1) await timer.sleep(backoffMs(attempt - 1));
    const retry: OutgoingMessage[] = [];
    for (const batch of batchBy(pending, { ...SNS_BATCH, sizeOf: messageBytes })) {
      try {
        const out = await client.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: batch.map((m, i) => toEntry(m, i, fifo)),
          }),
        );
        const failedById = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
        batch.forEach((m, i) => {
          const failure = failedById.get(`m${i}`);
          if (!failure) return void sent.push(m);
          reasons.set(m, `${failure.Code ?? 'Failed'}: ${failure.Message ?? 'rejected by SNS'}`);
          if (!failure.SenderFault) retry.push(m);
        });
      } catch (error) {
        const code = awsErrorCode(error) ?? 'Error';
        const reason = isAccessDenied(error)
          ? `${code}: not allowed to sns:Publish to ${topicArn}`
          : `${code}: ${(error as Error).message}`;
        for (const m of batch) reasons.set(m, reason);
        if (!isAccessDenied(error) && !PERMANENT_ERRORS.has(code)) retry.push(...batch);
      }
    }
    pending = retry;
  }
  const failed = messages
    .filter((m) => !sent.includes(m))
    .map((m) => ({ id: `${m.format}:${m.findingId}`, reason: reasons.get(m) ?? 'not sent' }));
  return { sent, failed };
};
