import { describe, expect, it } from 'vitest';
import { parseSqsEvent, receiveCountOf } from '../../../shared/events/sqs.js';
import { loadEvent } from '../../fixtures/events/index.js';

describe('parseSqsEvent', () => {
  it('accepts the batch fixture (raw, SNS-wrapped, threshold and test messages) without reading the bodies', () => {
    const event = parseSqsEvent(loadEvent('sqs', 'replication-events-batch'));
    expect(event.Records).toHaveLength(4);
    expect(event.Records[0]?.eventSource).toBe('aws:sqs');
  });

  it('accepts a batch whose body is malformed: bodies are judged one by one later', () => {
    const event = parseSqsEvent(loadEvent('sqs', 'malformed-message-batch'));
    expect(receiveCountOf(event.Records[0] as never)).toBe(3);
  });

  it.each([
    ['an EventBridge event', loadEvent('alarm', 'bytes-pending-alarm'), /Records/],
    [
      'a record from another source',
      { Records: [{ messageId: 'm', body: '{}', eventSource: 'aws:kinesis' }] },
      /Records\.0\.eventSource/,
    ],
    [
      'a record without a body',
      { Records: [{ messageId: 'm', eventSource: 'aws:sqs' }] },
      /Records\.0\.body/,
    ],
  ])('rejects %s', (_what, event, reason) => {
    expect(() => parseSqsEvent(event)).toThrow(reason);
  });
});
