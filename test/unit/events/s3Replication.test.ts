import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/events/errors.js';
import {
  decodeObjectKey,
  parseReplicationMessage,
  replicationTypeOf,
} from '../../../shared/events/s3Replication.js';
import { loadEvent, replicationRecord, s3Message, snsEnvelope } from '../../fixtures/events/index.js';

const body = (value: unknown): string => JSON.stringify(value);
const failedMessage = () => loadEvent('s3', 'operation-failed-replication');

const errorOf = (text: string): EventError => {
  try {
    parseReplicationMessage(text);
  } catch (error) {
    if (error instanceof EventError) return error;
    throw error;
  }
  throw new Error('expected an EventError');
};

describe('parseReplicationMessage', () => {
  it('reads an OperationFailedReplication message as S3 sends it (key decoded, destination as a name)', () => {
    const message = parseReplicationMessage(body(failedMessage()));
    expect(message).toMatchObject({ kind: 'records', ignored: 0 });
    if (message.kind !== 'records') throw new Error('expected records');
    expect(message.events).toEqual([
      {
        type: 'OperationFailedReplication',
        region: 'us-east-1',
        eventTimeMs: Date.parse('2025-03-04T21:04:32.527Z'),
        sourceBucket: 'phi-prod',
        ownerId: 'A3NL1KOZZKExample',
        objectKey: 'patients/Jane Doe/scan-2025-03-04.dcm',
        replicationRuleId: 'phi-to-dr',
        destinationBucket: 'phi-dr',
        s3Operation: 'OBJECT_PUT',
        failureReason: 'DstPutObjectNotPermitted',
      },
    ]);
  });

  it.each([
    ['operation-missed-threshold', 'OperationMissedThreshold'],
    ['operation-replicated-after-threshold', 'OperationReplicatedAfterThreshold'],
    ['operation-not-tracked', 'OperationNotTracked'],
  ] as const)('reads %s (no failure reason)', (name, type) => {
    const message = parseReplicationMessage(body(loadEvent('s3', name)));
    if (message.kind !== 'records') throw new Error('expected records');
    expect(message.events[0]).toMatchObject({ type, destinationBucket: 'phi-dr' });
    expect(message.events[0]?.failureReason).toBeUndefined();
  });

  it('acknowledges s3:TestEvent', () => {
    expect(parseReplicationMessage(body(loadEvent('s3', 'test-event')))).toEqual({
      kind: 'test',
      bucket: 'phi-prod',
    });
  });

  it('unwraps an SNS envelope (SNS → SQS without raw delivery) and keeps the topic', () => {
    const message = parseReplicationMessage(body(snsEnvelope(failedMessage())));
    expect(message).toMatchObject({
      kind: 'records',
      topicArn: 'arn:aws:sns:us-east-1:111111111111:phi-replication-events',
    });
  });

  it('unwraps an SNS-wrapped s3:TestEvent', () => {
    expect(parseReplicationMessage(body(snsEnvelope(loadEvent('s3', 'test-event'))))).toMatchObject({
      kind: 'test',
    });
  });

  it('counts records that are not replication events (other notifications sharing the queue)', () => {
    const created = {
      ...replicationRecord({ bucket: 'b', destinationBucket: 'd', ruleId: 'r' }),
      eventName: 'ObjectCreated:Put',
    };
    const message = parseReplicationMessage(
      body(s3Message([created, replicationRecord({ bucket: 'b', destinationBucket: 'd', ruleId: 'r' })])),
    );
    expect(message).toMatchObject({ kind: 'records', ignored: 1 });
  });

  it('records "Unspecified" when a failure carries no reason (still a finding)', () => {
    const record = replicationRecord({ bucket: 'b', destinationBucket: 'd', ruleId: 'r' }) as {
      replicationEventData: Record<string, unknown>;
    };
    delete record.replicationEventData.failureReason;
    const message = parseReplicationMessage(body(s3Message([record])));
    if (message.kind !== 'records') throw new Error('expected records');
    expect(message.events[0]?.failureReason).toBe('Unspecified');
  });

  it.each([
    ['text that is not JSON', 'patients/jane-doe.pdf is not json', /not valid JSON/],
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['an object without Records', body({ hello: 'world' }), /Records: expected an array/],
    [
      'an SNS envelope around bad JSON',
      body({ Type: 'Notification', Message: '{patients/jane' }),
      /SNS Message is not valid JSON/,
    ],
    [
      'a failure without replicationEventData',
      body(
        s3Message([
          {
            ...replicationRecord({ bucket: 'b', destinationBucket: 'd', ruleId: 'r' }),
            replicationEventData: undefined,
          },
        ]),
      ),
      /Records\.0\.replicationEventData: required/,
    ],
    [
      'a record without a bucket name',
      body(
        s3Message([
          {
            ...replicationRecord({ bucket: 'b', destinationBucket: 'd', ruleId: 'r' }),
            s3: { object: { key: 'k' } },
          },
        ]),
      ),
      /Records\.0\.s3\.bucket/,
    ],
  ])('rejects %s with a reason', (_what, text, reason) => {
    const error = errorOf(text);
    expect(error.code).toBe('INVALID_MESSAGE');
    expect(error.message).toMatch(reason);
  });

  it('never quotes the message body in its errors', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6 }).filter((s) => s.trim().length > 5),
        (secret) => {
          for (const text of [
            `{"Records": "${secret}`,
            secret,
            body({ Records: [{ eventName: 'Replication:OperationFailedReplication', secret }] }),
          ]) {
            let message = '';
            try {
              parseReplicationMessage(text);
            } catch (error) {
              message = (error as Error).message;
            }
            expect(message).not.toContain(secret.trim());
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('replicationTypeOf', () => {
  it.each([
    ['Replication:OperationFailedReplication', 'OperationFailedReplication'],
    ['s3:Replication:OperationFailedReplication', 'OperationFailedReplication'],
    ['Replication:OperationMissedThreshold', 'OperationMissedThreshold'],
    ['ObjectCreated:Put', undefined],
  ])('%s → %s', (name, type) => expect(replicationTypeOf(name)).toBe(type));
});

describe('decodeObjectKey', () => {
  it('inverts S3 key encoding (URL-encoding, "+" for spaces) for any key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (key) => {
        const encoded = encodeURIComponent(key).replace(/%20/g, '+');
        expect(decodeObjectKey(encoded)).toBe(key);
      }),
    );
  });

  it('leaves a key that is not valid percent-encoding as it is', () => {
    expect(decodeObjectKey('100%')).toBe('100%');
  });
});
