import { describe, expect, it } from 'vitest';
import { parseScheduledEvent } from '../../../shared/events/schedule.js';
import { loadEvent } from '../../fixtures/events/index.js';

describe('parseScheduledEvent', () => {
  it('reads the canary schedule event: its id, account, Region, time and rule', () => {
    expect(parseScheduledEvent(loadEvent('schedule', 'canary-schedule'))).toEqual({
      eventId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      accountId: '111111111111',
      region: 'us-east-1',
      time: '2025-03-04T22:00:00Z',
      rule: 'arn:aws:events:us-east-1:111111111111:rule/replguard-dev-replication-canary',
    });
  });

  it.each([
    ['an empty invocation', {}],
    ['an alarm state change', loadEvent('alarm', 'bytes-pending-alarm')],
    ['another source', { ...loadEvent('schedule', 'canary-schedule'), source: 'aws.s3' }],
  ])('rejects %s, naming the fields and never their values', (_name, event) => {
    expect(() => parseScheduledEvent(event)).toThrow(/Not an EventBridge "Scheduled Event"/);
    try {
      parseScheduledEvent(event);
    } catch (error) {
      expect((error as Error).message).not.toContain('aws.s3');
      expect((error as { code?: string }).code).toBe('INVALID_EVENT');
    }
  });
});
