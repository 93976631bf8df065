import { createHmac } from 'node:crypto';
import type { RuleResult } from '../model/result.js';

/** How object keys are treated before anything leaves ReplGuard. */
export interface RedactionSettings {
  readonly enabled: boolean;
  readonly salt: string;
}

export const REDACTION_ENV = 'REPLGUARD_REDACTION';
export const REDACTION_SALT_ENV = 'REPLGUARD_REDACTION_SALT';

/**
 * Resolves the redaction settings. Redaction is on unless `redactObjectKeys: false` is passed or the
 * environment says `REPLGUARD_REDACTION=off`. The salt is `salt`, else `REPLGUARD_REDACTION_SALT`, else
 * derived from the account id: stable (the same key always hashes the same, so repeated samples can be
 * correlated and findings stay idempotent) but not secret. Set a secret salt to stop anyone who can guess
 * candidate key names from confirming them.
 */
export const redactionSettings = (
  options: { readonly redactObjectKeys?: boolean; readonly salt?: string },
  accountId: string,
  env: NodeJS.ProcessEnv = process.env,
): RedactionSettings => ({
  enabled: options.redactObjectKeys ?? env[REDACTION_ENV]?.trim().toLowerCase() !== 'off',
  salt: options.salt || env[REDACTION_SALT_ENV] || `replguard-redaction:${accountId}`,
});

/** `sha256:` and the first 16 hex characters of HMAC-SHA256(salt, key). */
export const hashObjectKey = (key: string, salt: string): string =>
  `sha256:${createHmac('sha256', salt).update(key, 'utf8').digest('hex').slice(0, 16)}`;

/**
 * Detail fields whose values are object keys: `objectKey`, `sampleObjectKeys`, `keys`, `key`, … Whatever the
 * value looks like (`alias/…`, `arn:…`, `sha256:…`, spaces, `%`, `+`, any script), it is hashed: the field
 * decides, never the shape. KMS keys live in fields that say so (`kmsKeyId`, `replicaKmsKey`, …).
 */
const isObjectKeyField = (name: string): boolean => /keys?$/i.test(name) && !/kms/i.test(name);

/** A value of a key-named field that must be hashed (anything but the empty string). */
const isRawObjectKey = (field: string, value: string): boolean => isObjectKeyField(field) && value !== '';

/** S3 object ARNs (`arn:aws:s3:::bucket/key`) carry the key; policy patterns with wildcards do not. */
const OBJECT_ARN = /(arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,62}\/)([^\s"',;)\]}]+)/g;

/** A value that is exactly one S3 object ARN: its whole key (spaces included) is an object key. */
const WHOLE_OBJECT_ARN = /^(arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,62}\/)(.+)$/s;

/** The key of a value that is exactly one object ARN (not a policy's wildcard pattern). */
const keyOfObjectArn = (value: string): { prefix: string; key: string } | undefined => {
  const m = WHOLE_OBJECT_ARN.exec(value);
  return m?.[1] && m[2] && !/[*?]/.test(m[2]) ? { prefix: m[1], key: m[2] } : undefined;
};

/** Raw keys shorter than this are not searched for in free text (a one-letter key would garble prose). */
const MIN_PROPAGATED_KEY_LENGTH = 4;

/** Collects raw object keys from key-named fields anywhere in `value`. */
const collectKeys = (value: unknown, into: Set<string>, field = ''): void => {
  if (typeof value === 'string') {
    if (isRawObjectKey(field, value)) into.add(value);
    const arn = keyOfObjectArn(value);
    if (arn) into.add(arn.key);
  } else if (Array.isArray(value)) {
    for (const item of value) collectKeys(item, into, field);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectKeys(v, into, k);
  }
};

/** Returns a function that scrubs one string: object ARNs and any known raw key become hashes. */
const scrubber = (keys: ReadonlySet<string>, salt: string): ((text: string) => string) => {
  const searchable = [...keys]
    .filter((k) => k.length >= MIN_PROPAGATED_KEY_LENGTH)
    .sort((a, b) => b.length - a.length);
  const hashed = new Set(searchable.map((k) => hashObjectKey(k, salt)));
  return (text) => {
    let out = text;
    for (const key of searchable) if (out.includes(key)) out = out.split(key).join(hashObjectKey(key, salt));
    return out.replace(OBJECT_ARN, (whole, prefix: string, key: string) =>
      /[*?]/.test(key) || hashed.has(key) ? whole : `${prefix}${hashObjectKey(key, salt)}`,
    );
  };
};

const redactValue = (value: unknown, scrub: (text: string) => string, salt: string, field = ''): unknown => {
  if (typeof value === 'string') {
    if (isRawObjectKey(field, value)) return hashObjectKey(value, salt);
    const arn = keyOfObjectArn(value);
    return arn ? `${arn.prefix}${hashObjectKey(arn.key, salt)}` : scrub(value);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, scrub, salt, field));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, scrub, salt, k)]));
  }
  return value;
};

/**
 * A copy of `result` with every object key replaced by its salted hash: key-named detail fields
 * (`sampleObjectKeys`, `objectKey`, nested samples' `key`), S3 object ARNs, and any occurrence of those
 * raw keys in the message, remediation or other details. Bucket names, rule ids and other ARNs stay.
 * With redaction switched off the result is returned unchanged.
 */
export const redactResult = (result: RuleResult, settings: RedactionSettings): RuleResult => {
  if (!settings.enabled || redacted.has(result)) return result;
  const keys = new Set<string>();
  collectKeys(result.details ?? {}, keys);
  const scrub = scrubber(keys, settings.salt);
  const out: RuleResult = {
    ...result,
    message: scrub(result.message),
    remediation: scrub(result.remediation),
    ...(result.details
      ? { details: redactValue(result.details, scrub, settings.salt) as Readonly<Record<string, unknown>> }
      : {}),
  };
  redacted.add(out);
  return out;
};

/** Results this module produced: redacting one again returns it as it is (hashes are never hashed twice). */
const redacted = new WeakSet<RuleResult>();
