import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asBoolean,
  asNumber,
  asObject,
  asToggle,
  decodeValue,
  field,
  hasField,
} from '../../../../shared/collect/normalise/configValues.js';

const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 5 });

describe('decodeValue / asObject', () => {
  it('reads an object given as itself, as JSON text, or as JSON text inside JSON text', () => {
    fc.assert(
      fc.property(object, (value) => {
        const once = JSON.stringify(value);
        expect(asObject(value)).toEqual(value);
        expect(asObject(once)).toEqual(JSON.parse(once));
        expect(asObject(JSON.stringify(once))).toEqual(JSON.parse(once));
      }),
    );
  });

  it('leaves text that is not JSON as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\s*[[{"]/.test(s)),
        (text) => {
          expect(decodeValue(text)).toBe(text);
        },
      ),
    );
  });

  it.each([['{broken'], ['"unterminated'], ['[1,']])('keeps malformed JSON text %s as text', (text) => {
    expect(decodeValue(text)).toBe(text);
    expect(asObject(text)).toBeUndefined();
  });
});

describe('field', () => {
  it.each<[Record<string, unknown>, string[], unknown]>([
    [{ bucketARN: 'a' }, ['bucketArn'], 'a'],
    [{ BucketArn: 'a' }, ['bucketARN'], 'a'],
    [{ replica_kms_key_id: 'k' }, ['replicaKmsKeyID'], 'k'],
    [{ Account: '1' }, ['account'], '1'],
    [{ account: null, Account: '2' }, ['account'], '2'],
    [{ status: null }, ['status'], undefined],
  ])('finds %j by %j regardless of case', (obj, names, expected) => {
    expect(field(obj, ...names)).toBe(expected);
  });

  it('does not decode string values (a prefix may look like JSON)', () => {
    expect(field({ prefix: '"quoted"' }, 'prefix')).toBe('"quoted"');
  });

  it('reads fields of an object given as JSON text', () => {
    expect(field('{"Status":"Enabled"}', 'status')).toBe('Enabled');
  });

  it('tells a null field from a missing one', () => {
    expect(hasField({ policyText: null }, 'policyText')).toBe(true);
    expect(hasField({}, 'policyText')).toBe(false);
  });
});

describe('scalars', () => {
  it.each<[unknown, number | undefined]>([
    [15, 15],
    ['15', 15],
    ['', undefined],
    [null, undefined],
    ['x', undefined],
  ])('asNumber(%j) → %j', (input, expected) => expect(asNumber(input)).toBe(expected));

  it.each<[unknown, boolean | undefined]>([
    [true, true],
    ['false', false],
    ['yes', undefined],
  ])('asBoolean(%j) → %j', (input, expected) => expect(asBoolean(input)).toBe(expected));

  it.each<[unknown, string | undefined]>([
    ['ENABLED', 'Enabled'],
    ['disabled', 'Disabled'],
    ['Off', undefined],
  ])('asToggle(%j) → %j', (input, expected) => expect(asToggle(input)).toBe(expected));
});
