import { describe, expect, it } from 'vitest';
import { keyIdOf, parseApiCallEvent, WATCHED_CALLS } from '../../../shared/events/cloudTrail.js';
import { EventError } from '../../../shared/events/errors.js';
import { loadEvent } from '../../fixtures/events/index.js';

const KEY_ID = '1111aaaa-0000-4000-8000-000000000001';
const KEY_ARN = `arn:aws:kms:us-east-1:111111111111:key/${KEY_ID}`;

describe('parseApiCallEvent', () => {
  it.each([
    [
      's3-put-bucket-versioning',
      's3',
      'PutBucketVersioning',
      { kind: 'bucket', bucket: 'phi-dr' },
      'us-west-2',
    ],
    [
      's3-put-bucket-replication',
      's3',
      'PutBucketReplication',
      { kind: 'bucket', bucket: 'phi-prod' },
      'us-east-1',
    ],
    ['s3-delete-bucket', 's3', 'DeleteBucket', { kind: 'bucket', bucket: 'phi-dr' }, 'us-west-2'],
    ['kms-disable-key', 'kms', 'DisableKey', { kind: 'key', keyId: KEY_ID, keyArn: KEY_ARN }, 'us-east-1'],
    [
      'kms-schedule-key-deletion',
      'kms',
      'ScheduleKeyDeletion',
      { kind: 'key', keyId: KEY_ID, keyArn: KEY_ARN },
      'us-east-1',
    ],
    ['kms-put-key-policy', 'kms', 'PutKeyPolicy', { kind: 'key', keyId: KEY_ID }, 'us-east-1'],
    [
      'iam-put-role-policy',
      'iam',
      'PutRolePolicy',
      { kind: 'role', roleName: 'phi-replication' },
      'us-east-1',
    ],
    [
      'iam-detach-role-policy',
      'iam',
      'DetachRolePolicy',
      { kind: 'role', roleName: 'phi-replication' },
      'us-east-1',
    ],
    [
      'iam-update-assume-role-policy',
      'iam',
      'UpdateAssumeRolePolicy',
      { kind: 'role', roleName: 'phi-replication' },
      'us-east-1',
    ],
    [
      'iam-create-policy-version',
      'iam',
      'CreatePolicyVersion',
      { kind: 'policy', policyArn: 'arn:aws:iam::111111111111:policy/phi-replication-kms' },
      'us-east-1',
    ],
  ] as const)('reads %s: %s %s and what it touched', (name, service, eventName, target, region) => {
    const call = parseApiCallEvent(loadEvent('cloudtrail', name));
    expect(call).toMatchObject({
      service,
      eventName,
      accountId: '111111111111',
      callRegion: region,
      eventId: expect.any(String),
    });
    expect(call.target).toMatchObject(target);
    expect(call.errorCode).toBeUndefined();
    expect(call.actor).toMatch(/^arn:aws:sts::111111111111:assumed-role\//);
  });

  it('keeps the error code of a call that failed (it changed nothing)', () => {
    expect(parseApiCallEvent(loadEvent('cloudtrail', 's3-put-bucket-policy-denied'))).toMatchObject({
      eventName: 'PutBucketPolicy',
      errorCode: 'AccessDenied',
    });
  });

  it('delivers IAM events in us-east-1, whatever Region the stack is in', () => {
    expect(parseApiCallEvent(loadEvent('cloudtrail', 'iam-put-role-policy'))).toMatchObject({
      eventRegion: 'us-east-1',
      service: 'iam',
    });
  });

  it('has no target for a call it does not watch', () => {
    const event = loadEvent('cloudtrail', 's3-put-bucket-versioning') as { detail: Record<string, unknown> };
    event.detail.eventName = 'GetBucketVersioning';
    expect(parseApiCallEvent(event).target).toBeUndefined();
  });

  it.each([
    ['another detail-type', { 'detail-type': 'Object Created' }, /detail-type/],
    ['another source', { source: 'aws.ec2' }, /source/],
    ['no detail', { detail: undefined }, /detail/],
  ])('rejects %s', (_what, change, reason) => {
    const event = { ...loadEvent('cloudtrail', 'kms-disable-key'), ...change };
    expect(() => parseApiCallEvent(event)).toThrow(EventError);
    expect(() => parseApiCallEvent(event)).toThrow(reason);
  });

  it('watches exactly the calls the issue lists', () => {
    expect(Object.values(WATCHED_CALLS).flat()).toHaveLength(26);
    expect(WATCHED_CALLS.s3).toContain('PutBucketNotificationConfiguration');
  });
});

describe('keyIdOf', () => {
  it.each([
    [KEY_ARN, KEY_ID],
    [KEY_ID, KEY_ID],
    ['arn:aws:kms:us-west-2:222222222222:key/mrk-1234abcd', 'mrk-1234abcd'],
    ['alias/phi', 'alias/phi'],
  ])('%s → %s', (ref, id) => expect(keyIdOf(ref)).toBe(id));
});
