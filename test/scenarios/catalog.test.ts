/** The scenario catalog's own promises, checked without the emulator. */
import { describe, expect, it } from 'vitest';
import { rules } from '../../shared/rules/index.js';
import { scenarios } from './catalog/index.js';

const ruleIds = rules.map((r) => r.id);

describe('the scenario catalog', () => {
  it.each(ruleIds)('has a failure scenario where %s is NON_COMPLIANT', (ruleId) => {
    expect(scenarios.filter((s) => s.expect.nonCompliant.includes(ruleId)).map((s) => s.name)).not.toEqual(
      [],
    );
  });

  it('has a healthy scenario where every rule is COMPLIANT and nothing fails', () => {
    expect(
      scenarios.filter(
        (s) => s.kind === 'healthy' && s.expect.compliant === 'all' && s.expect.nonCompliant.length === 0,
      ),
    ).not.toEqual([]);
  });

  it('expects no NON_COMPLIANT and no UNKNOWN from healthy setups and near-misses', () => {
    const clean = scenarios.filter((s) => s.kind === 'healthy' || s.kind === 'near-miss');
    expect(clean.length).toBeGreaterThanOrEqual(7);
    expect(
      clean.filter((s) => s.expect.nonCompliant.length > 0 || (s.expect.unknown ?? []).length > 0),
    ).toEqual([]);
  });

  it('names only rule ids of the catalog', () => {
    const named = scenarios.flatMap((s) => [
      ...s.expect.nonCompliant,
      ...(s.expect.unknown ?? []),
      ...(s.expect.compliant === 'all' ? [] : (s.expect.compliant ?? [])),
      ...Object.keys(s.expect.mentions ?? {}),
    ]);
    expect(named.filter((id) => !ruleIds.includes(id))).toEqual([]);
  });

  it('gives scenarios unique kebab-case names of at most 30 characters (they name buckets and roles)', () => {
    const names = scenarios.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n) || n.length > 30)).toEqual([]);
  });

  it('describes every scenario in one line', () => {
    expect(scenarios.filter((s) => s.description.length < 20 || s.description.includes('\n'))).toEqual([]);
  });
});
