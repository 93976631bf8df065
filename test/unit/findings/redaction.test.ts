import { describe, expect, it } from 'vitest';
import { hashObjectKey, redactionSettings, redactResult } from '../../../shared/findings/redaction.js';
import { failing, RAW_KEYS, runtimeFailure } from '../publish/fixtures.js';

const ON = { enabled: true, salt: 'test-salt' };

describe('redactionSettings', () => {
  it.each<[string, { redactObjectKeys?: boolean; salt?: string }, NodeJS.ProcessEnv, boolean, string]>([
    ['on by default, salt derived from the account', {}, {}, true, 'replguard-redaction:111111111111'],
    [
      'off only when the environment says off',
      {},
      { REPLGUARD_REDACTION: 'OFF' },
      false,
      'replguard-redaction:111111111111',
    ],
    [
      'any other value keeps it on',
      {},
      { REPLGUARD_REDACTION: 'no' },
      true,
      'replguard-redaction:111111111111',
    ],
    [
      'the option beats the environment',
      { redactObjectKeys: true },
      { REPLGUARD_REDACTION: 'off' },
      true,
      'replguard-redaction:111111111111',
    ],
    [
      'the option can switch it off',
      { redactObjectKeys: false },
      {},
      false,
      'replguard-redaction:111111111111',
    ],
    ['salt from the environment', {}, { REPLGUARD_REDACTION_SALT: 'secret' }, true, 'secret'],
    ['salt option first', { salt: 'mine' }, { REPLGUARD_REDACTION_SALT: 'secret' }, true, 'mine'],
  ])('%s', (_case, options, env, enabled, salt) => {
    expect(redactionSettings(options, '111111111111', env)).toEqual({ enabled, salt });
  });
});

describe('hashObjectKey', () => {
  it('is sha256: plus 16 hex, stable per salt, different across salts', () => {
    const h = hashObjectKey(RAW_KEYS[0], 'a');
    expect(h).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(hashObjectKey(RAW_KEYS[0], 'a')).toBe(h);
    expect(hashObjectKey(RAW_KEYS[0], 'b')).not.toBe(h);
  });
});

describe('redactResult', () => {
  it('hashes sample keys, nested sample keys and object ARNs, and scrubs raw keys from free text', () => {
    const leaky = runtimeFailure({
      message: `Replication of ${RAW_KEYS[0]} failed (arn:aws:s3:::phi-prod/reports/2024/q1.csv).`,
      remediation: `Re-replicate ${RAW_KEYS[1]}.`,
    });
    const out = redactResult(leaky, ON);
    const text = JSON.stringify(out);
    for (const key of [...RAW_KEYS, 'reports/2024/q1.csv', 'Jane', 'Smith']) expect(text).not.toContain(key);
    expect(out.details?.sampleObjectKeys).toEqual(RAW_KEYS.map((k) => hashObjectKey(k, ON.salt)));
    expect(out.details?.samples).toEqual([
      {
        key: hashObjectKey(RAW_KEYS[0], ON.salt),
        versionId: 'v1',
        objectArn: `arn:aws:s3:::phi-prod/${hashObjectKey(RAW_KEYS[1], ON.salt)}`,
      },
    ]);
    expect(out.message).toContain(hashObjectKey(RAW_KEYS[0], ON.salt));
  });

  it('keeps bucket names, rule ids, KMS keys (in fields that say so), counts and policy patterns', () => {
    const out = redactResult(
      runtimeFailure({
        details: {
          count: 3,
          kmsKey: 'arn:aws:kms:us-east-1:1:key/abc',
          replicaKmsKeyId: 'alias/phi',
          resource: 'arn:aws:s3:::phi-prod/*',
        },
      }),
      ON,
    );
    expect(out.details).toEqual({
      count: 3,
      kmsKey: 'arn:aws:kms:us-east-1:1:key/abc',
      replicaKmsKeyId: 'alias/phi',
      resource: 'arn:aws:s3:::phi-prod/*',
    });
    expect(out.bucket).toBe('phi-prod');
    expect(out.message).toBe(runtimeFailure().message);
  });

  it('leaves configuration results without keys unchanged', () => {
    expect(redactResult(failing(), ON)).toEqual(failing());
  });

  it('is idempotent: a redacted result is returned as it is, its hashes never hashed again', () => {
    const once = redactResult(runtimeFailure(), ON);
    expect(redactResult(once, ON)).toBe(once);
  });

  it.each([
    'alias/patients/jane.pdf',
    'arn:aws:kms:us-east-1:1:key/looks-like-kms',
    'sha256:0123456789abcdef',
  ])('hashes an object key that looks like something else: %s', (key) => {
    const out = redactResult(runtimeFailure({ details: { sampleObjectKeys: [key], objectKey: key } }), ON);
    expect(out.details).toEqual({
      sampleObjectKeys: [hashObjectKey(key, ON.salt)],
      objectKey: hashObjectKey(key, ON.salt),
    });
  });

  it('returns the result untouched when switched off explicitly', () => {
    const raw = runtimeFailure();
    expect(redactResult(raw, { enabled: false, salt: 'x' })).toBe(raw);
  });
});
