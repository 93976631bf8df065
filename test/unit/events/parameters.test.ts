import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/events/errors.js';
import {
  parametersFromEnv,
  parseRuleParameters,
  validateParameters,
} from '../../../shared/events/parameters.js';
import { DEFAULT_PARAMETERS } from '../../../shared/model/snapshot.js';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EventError);
    expect((error as EventError).code).toBe('INVALID_RULE_PARAMETERS');
    return (error as EventError).problems;
  }
  throw new Error('expected an EventError');
};

describe('parseRuleParameters', () => {
  it.each([undefined, null, '', '  ', '{}'])('gives the defaults for %j', (text) => {
    expect(parseRuleParameters(text)).toEqual(DEFAULT_PARAMETERS);
  });

  it.each([
    [
      'scopeTag KEY=VALUE',
      { scopeTag: 'Sensitivity=PHI' },
      { scopeTag: { key: 'Sensitivity', value: 'PHI' } },
    ],
    ['a value containing "="', { scopeTag: 'Class=a=b' }, { scopeTag: { key: 'Class', value: 'a=b' } }],
    [
      'the key/value pair',
      { scopeTagKey: 'Team', scopeTagValue: 'records' },
      { scopeTag: { key: 'Team', value: 'records' } },
    ],
    [
      'Config-style capitalised names',
      { ScopeTagKey: 'Team', ScopeTagValue: 'x', RequireRTC: 'TRUE' },
      { scopeTag: { key: 'Team', value: 'x' }, requireRtc: true },
    ],
    [
      'booleans as booleans',
      { requireCrossRegion: false, requireRtc: true },
      { requireCrossRegion: false, requireRtc: true },
    ],
    [
      'booleans as text',
      { requireCrossRegion: 'false', requireRtc: 'true' },
      { requireCrossRegion: false, requireRtc: true },
    ],
    [
      'a role name',
      { crossAccountRoleName: 'ReplGuard-Audit@phi' },
      { crossAccountRoleName: 'ReplGuard-Audit@phi' },
    ],
    ['empty stack parameters (defaults)', { crossAccountRoleName: '', requireRtc: '' }, {}],
  ])('reads %s', (_what, raw, expected) => {
    expect(parseRuleParameters(JSON.stringify(raw))).toEqual({ ...DEFAULT_PARAMETERS, ...expected });
  });

  it.each([
    ['text that is not JSON', 'scopeTag=PHI', /not valid JSON/],
    ['a JSON array', '["a"]', /must be a JSON object/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseRuleParameters(text)).toThrow(message);
  });

  it.each([
    ['scopeTag without "="', { scopeTag: 'PHI' }, /scopeTag must be KEY=VALUE/],
    ['scopeTag with an empty key', { scopeTag: '=PHI' }, /scopeTag must be KEY=VALUE/],
    ['both tag forms', { scopeTag: 'a=b', scopeTagKey: 'c' }, /either scopeTag or scopeTagKey/],
    ['a boolean that is not one', { requireRtc: 'yes' }, /requireRtc must be true or false/],
    ['a number for a boolean', { requireCrossRegion: 1 }, /requireCrossRegion must be true or false/],
    [
      'an invalid role name',
      { crossAccountRoleName: 'no spaces allowed' },
      /crossAccountRoleName must be an IAM role name/,
    ],
    [
      'a role name too long',
      { crossAccountRoleName: 'r'.repeat(65) },
      /crossAccountRoleName must be an IAM role name/,
    ],
    [
      'an unknown (misspelt) parameter',
      { crossAcountRoleName: 'x' },
      /unknown parameter "crossAcountRoleName"/,
    ],
  ])('rejects %s with a clear reason', (_what, raw, reason) => {
    const problems = problemsOf(() => parseRuleParameters(JSON.stringify(raw)));
    expect(problems.join('\n')).toMatch(reason);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      validateParameters({ requireRtc: 'maybe', requireCrossRegion: 'perhaps', other: 1 }),
    );
    expect(problems).toHaveLength(3);
  });

  it('accepts "true"/"false" in any letter case and only those', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (value, upper) => {
        const text = [...String(value)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        expect(validateParameters({ requireRtc: text }).requireRtc).toBe(value);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !['true', 'false', ''].includes(s.trim().toLowerCase())),
        (text) => {
          expect(() => validateParameters({ requireRtc: text })).toThrow(EventError);
        },
      ),
    );
  });

  it('round-trips any KEY=VALUE scope tag whose key has no "="', () => {
    const part = (max: number) =>
      fc.string({ minLength: 1, maxLength: max }).filter((s) => !s.includes('=') && s.trim() === s);
    fc.assert(
      fc.property(
        part(128),
        fc.string({ maxLength: 200 }).filter((s) => s.trim() === s),
        (key, value) => {
          expect(validateParameters({ scopeTag: `${key}=${value}` }).scopeTag).toEqual({ key, value });
        },
      ),
    );
  });
});

describe('parametersFromEnv', () => {
  it('reads the REPLGUARD_* variables the stack sets', () => {
    expect(
      parametersFromEnv({
        REPLGUARD_SCOPE_TAG_KEY: 'DataClassification',
        REPLGUARD_SCOPE_TAG_VALUE: 'ePHI',
        REPLGUARD_REQUIRE_CROSS_REGION: 'false',
        REPLGUARD_REQUIRE_RTC: 'true',
        REPLGUARD_CROSS_ACCOUNT_ROLE_NAME: 'Auditor',
        REPLGUARD_OBJECT_SAMPLE_SIZE: '250',
      }),
    ).toEqual({
      scopeTag: { key: 'DataClassification', value: 'ePHI' },
      requireCrossRegion: false,
      requireRtc: true,
      crossAccountRoleName: 'Auditor',
      objectSampleSize: 250,
    });
  });

  it('gives the defaults when nothing is set and names the environment on a bad value', () => {
    expect(parametersFromEnv({})).toEqual(DEFAULT_PARAMETERS);
    expect(() => parametersFromEnv({ REPLGUARD_REQUIRE_RTC: 'sometimes' })).toThrow(
      /environment \(REPLGUARD_\* parameters\)/,
    );
  });
});
