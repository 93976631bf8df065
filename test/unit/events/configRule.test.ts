import { describe, expect, it } from 'vitest';
import { parseConfigRuleEvent } from '../../../shared/events/configRule.js';
import { EventError } from '../../../shared/events/errors.js';
import { DEFAULT_PARAMETERS } from '../../../shared/model/snapshot.js';
import { loadEvent } from '../../fixtures/events/index.js';

const errorOf = (fn: () => unknown): EventError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventError) return error;
    throw error;
  }
  throw new Error('expected an EventError');
};

describe('parseConfigRuleEvent', () => {
  it('reads a ConfigurationItemChangeNotification with the item, its capture time and the rule Region', () => {
    const invocation = parseConfigRuleEvent(loadEvent('config', 'change-notification'));
    expect(invocation).toMatchObject({
      kind: 'change',
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'phi-prod',
      resultToken: 'myResultToken',
      eventLeftScope: false,
      region: 'us-east-1',
      accountId: '111111111111',
      ruleName: 'replguard-dev-s3-replication',
      parameters: DEFAULT_PARAMETERS,
    });
    if (invocation.kind !== 'change') throw new Error('expected a change');
    expect(invocation.orderingTimestamp.toISOString()).toBe('2025-03-04T10:15:30.123Z');
    expect(invocation.item.supplementaryConfiguration).toBeDefined();
  });

  it('reads an OversizedConfigurationItemChangeNotification from its summary', () => {
    expect(parseConfigRuleEvent(loadEvent('config', 'oversized-notification'))).toMatchObject({
      kind: 'oversized',
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'phi-prod',
      resourceName: 'phi-prod',
      status: 'OK',
      orderingTimestamp: new Date('2025-03-04T10:15:30.123Z'),
    });
  });

  it('reads a ScheduledNotification with the notification time as ordering timestamp and keeps the raw event', () => {
    const invocation = parseConfigRuleEvent(loadEvent('config', 'scheduled-notification'));
    expect(invocation).toMatchObject({
      kind: 'scheduled',
      orderingTimestamp: new Date('2025-03-04T00:00:00.000Z'),
    });
    if (invocation.kind !== 'scheduled') throw new Error('expected scheduled');
    expect(invocation.event.resultToken).toBe('myResultToken');
    expect(invocation.continuation).toBeUndefined();
  });

  it('reads the continuation ReplGuard adds when a scheduled run continues', () => {
    const event = {
      ...loadEvent('config', 'scheduled-notification'),
      replguardContinuation: { startAfter: 'b-17', hop: 2, correlationId: 'run-1' },
    };
    expect(parseConfigRuleEvent(event)).toMatchObject({
      kind: 'scheduled',
      continuation: { startAfter: 'b-17', hop: 2 },
    });
  });

  it.each([
    ['left scope', 'change-notification-left-scope', { eventLeftScope: true }],
    ['a deleted bucket', 'change-notification-deleted', { kind: 'change' }],
  ] as const)('reads %s', (_what, name, expected) => {
    expect(parseConfigRuleEvent(loadEvent('config', name))).toMatchObject(expected);
  });

  it('rejects bad rule parameters naming each problem', () => {
    const error = errorOf(() =>
      parseConfigRuleEvent(loadEvent('config', 'scheduled-notification-bad-parameters')),
    );
    expect(error.code).toBe('INVALID_RULE_PARAMETERS');
    expect(error.message).toMatch(/scopeTag must be KEY=VALUE/);
    expect(error.message).toMatch(/requireRtc must be true or false/);
    expect(error.message).toMatch(/unknown parameter "crossAcountRoleName"/);
  });

  it.each([
    ['no result token', (e: Record<string, unknown>) => ({ ...e, resultToken: undefined }), /resultToken/],
    [
      'a configRuleArn that is not one',
      (e: Record<string, unknown>) => ({ ...e, configRuleArn: 'rule' }),
      /configRuleArn: must be a Config rule ARN/,
    ],
    [
      'an invokingEvent that is not JSON',
      (e: Record<string, unknown>) => ({ ...e, invokingEvent: '{oops' }),
      /invokingEvent is not valid JSON/,
    ],
    [
      'an unknown messageType',
      (e: Record<string, unknown>) => ({
        ...e,
        invokingEvent: JSON.stringify({ messageType: 'ConfigurationSnapshotDeliveryCompleted' }),
      }),
      /invokingEvent.messageType/,
    ],
    [
      'a change without its item',
      (e: Record<string, unknown>) => ({
        ...e,
        invokingEvent: JSON.stringify({
          messageType: 'ConfigurationItemChangeNotification',
          notificationCreationTime: '2025-03-04T00:00:00Z',
        }),
      }),
      /invokingEvent.configurationItem/,
    ],
  ])('rejects an event with %s', (_what, change, reason) => {
    const error = errorOf(() => parseConfigRuleEvent(change(loadEvent('config', 'change-notification'))));
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.message).toMatch(reason);
  });

  it('never quotes the invalid text in its error (it may hold object names)', () => {
    const secret = 'patients/jane-doe.pdf';
    const error = errorOf(() =>
      parseConfigRuleEvent({ ...loadEvent('config', 'change-notification'), invokingEvent: `{${secret}` }),
    );
    expect(error.message).not.toContain(secret);
  });
});
