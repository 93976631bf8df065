/**
 * Every object key is hashed whatever its shape, wherever it travels: the redacted result, the Security Hub
 * finding, the SNS alert (with its PagerDuty event) and the chat notification built from it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { hashObjectKey, redactResult } from '../../../shared/findings/redaction.js';
import { toAlertMessage } from '../../../shared/publish/alert.js';
import { toAsff } from '../../../shared/publish/asff.js';
import { toChatMessage } from '../../../shared/publish/chat.js';
import { runtimeFailure } from '../publish/fixtures.js';

const SALT = 'property-salt';

/** Keys of every awkward shape: prefixes taken for other things, spaces, %, +, unicode, a unique tail. */
const objectKey = fc
  .tuple(
    fc.constantFrom('', 'alias/', 'arn:', 'arn:aws:s3:::', 'sha256:', 'patients/', '%2F', '+'),
    fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 }),
    fc.constantFrom(' ', '%', '+', '/', 'é', '患者', '🩻', '-'),
    fc.uuid(),
  )
  .map(([prefix, middle, mark, id]) => `${prefix}${middle}${mark}${id}`);

const everywhere = (key: string) =>
  runtimeFailure({
    message: `Replication of arn:aws:s3:::phi-prod/${key} failed (${key}).`,
    remediation: `Re-replicate ${key} with S3 Batch Replication.`,
    details: {
      count: 1,
      failureReason: 'DstBucketUnversioned',
      sampleObjectKeys: [key],
      objectKey: key,
      samples: [{ key, objectArn: `arn:aws:s3:::phi-prod/${key}` }],
    },
  });

describe('redaction (property-based)', () => {
  it('leaves no raw object key in the result, whatever the key looks like', () => {
    fc.assert(
      fc.property(objectKey, (key) => {
        const out = redactResult(everywhere(key), { enabled: true, salt: SALT });
        const text = JSON.stringify(out);
        expect(text).not.toContain(key);
        expect(JSON.stringify(out.details?.sampleObjectKeys)).toBe(
          JSON.stringify([hashObjectKey(key, SALT)]),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no raw object key in the ASFF finding, the SNS alert, the PagerDuty event or the chat message', () => {
    fc.assert(
      fc.property(objectKey, (key) => {
        const result = redactResult(everywhere(key), { enabled: true, salt: SALT });
        const findingId = findingIdOf(result);
        const input = {
          findingId,
          transition: 'new' as const,
          result,
          timestamp: '2025-03-04T22:00:00.000Z',
          securityHub: true,
        };
        const outputs = [
          JSON.stringify(
            toAsff({
              id: findingId,
              result,
              productArn: 'arn:aws:securityhub:us-east-1:1:product/1/default',
              updatedAt: input.timestamp,
            }),
          ),
          JSON.stringify(toAlertMessage(input)),
          JSON.stringify(toChatMessage(input)),
        ];
        for (const out of outputs) expect(out).not.toContain(key);
      }),
      { numRuns: 200 },
    );
  });

  it('hashes the same key the same way (samples stay comparable) and different keys differently', () => {
    fc.assert(
      fc.property(objectKey, objectKey, (a, b) => {
        fc.pre(a !== b);
        expect(hashObjectKey(a, SALT)).toBe(hashObjectKey(a, SALT));
        expect(hashObjectKey(a, SALT)).not.toBe(hashObjectKey(b, SALT));
      }),
    );
  });
});
