import { describe, expect, it } from 'vitest';
import {
  applyExceptions,
  exceptionNote,
  expiredIn,
  holds,
  parseExceptions,
} from '../../../shared/findings/exceptions.js';
import { failing } from '../publish/fixtures.js';

const RULES = new Set([
  'versioning_destination_enabled',
  'replication_time_control',
  'replication_operations_failing',
]);
const entry = (over: Record<string, unknown> = {}) => ({
  bucket: 'phi-prod',
  ruleId: 'versioning_destination_enabled',
  justification: 'DR copy moves to a new account next quarter (risk review 2026-11)',
  owner: 'jane.doe@example.org',
  expires: '2027-03-31',
  ...over,
});
const doc = (...exceptions: unknown[]) => JSON.stringify({ version: 1, exceptions });

describe('parseExceptions', () => {
  it('reads well-formed exceptions', () => {
    const set = parseExceptions(doc(entry()), 'test', RULES);
    expect(set).toEqual({ exceptions: [entry()], problems: [], source: 'test' });
  });

  it.each([
    ['a missing justification', { justification: undefined }, 'justification'],
    ['a one-word justification', { justification: 'ok' }, 'must say why the risk is accepted'],
    ['no owner', { owner: ' ' }, 'must name who accepted the risk'],
    ['an expiry that is not a date', { expires: 'next year' }, 'must be a date, YYYY-MM-DD'],
    ['an impossible date', { expires: '2027-02-31' }, 'must be a real date'],
    ['a rule that does not exist', { ruleId: 'versioning_dest' }, 'is not a ReplGuard rule'],
  ])('reports %s and leaves that entry out, keeping the others', (_what, change, problem) => {
    const set = parseExceptions(doc(entry(change), entry({ bucket: 'phi-lab' })), 'ssm', RULES);
    expect(set.exceptions.map((e) => e.bucket)).toEqual(['phi-lab']);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatch(/^ssm exception #1: /);
    expect(set.problems[0]).toContain(problem);
  });

  it.each([
    ['not JSON', '{"exceptions": [', /is not JSON/],
    ['no exceptions array', '{"version": 1}', /must be an object with an "exceptions" array/],
  ])('reports a document that is %s, and applies nothing', (_what, text, problem) => {
    const set = parseExceptions(text, 'ssm', RULES);
    expect(set.exceptions).toEqual([]);
    expect(set.problems[0]).toMatch(problem);
  });
});

describe('applyExceptions', () => {
  const set = parseExceptions(
    doc(entry(), entry({ bucket: 'phi-lab', destinationBucket: 'phi-lab-dr', expires: '2025-01-31' })),
    'test',
    RULES,
  );

  it('marks the results of the excepted bucket and rule active until the end of the expiry day (UTC)', () => {
    const [result] = applyExceptions([failing()], set, new Date('2027-03-31T23:59:59Z'));
    expect(result?.exception).toEqual({
      status: 'active',
      justification: entry().justification,
      owner: 'jane.doe@example.org',
      expires: '2027-03-31',
    });
    expect(result?.status).toBe('NON_COMPLIANT'); // the status values stay as they are
  });

  it('marks them expired the day after, and leaves other rules, buckets and destinations alone', () => {
    const after = new Date('2027-04-01T00:00:00Z');
    const results = applyExceptions(
      [
        failing(),
        failing({ ruleId: 'tls_only_policy' }),
        failing({ bucket: 'phi-other' }),
        failing({ bucket: 'phi-lab', destinationBucket: 'phi-other-dr' }),
        failing({ bucket: 'phi-lab', destinationBucket: 'phi-lab-dr' }),
      ],
      set,
      after,
    );
    expect(results.map((r) => r.exception?.status ?? null)).toEqual(['expired', null, null, null, 'expired']);
    expect(expiredIn(set, after).map((e) => e.bucket)).toEqual(['phi-prod', 'phi-lab']);
  });

  it('holds through the whole expiry day', () => {
    expect(holds('2027-03-31', new Date('2027-03-31T00:00:00Z'))).toBe(true);
    expect(holds('2027-03-31', new Date('2027-04-01T00:00:00Z'))).toBe(false);
  });

  it('writes the Security Hub note: until when, who, why (at most 512 characters)', () => {
    const note = exceptionNote({ status: 'active', ...entry(), justification: 'x'.repeat(600) });
    expect(note).toMatch(/^Risk accepted until 2027-03-31 by jane.doe@example.org: x+$/);
    expect(note.length).toBe(512);
  });
});
