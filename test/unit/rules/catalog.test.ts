import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../shared/rules/index.js';
import { SEVERITY_ORDER } from '../../../shared/rules/types.js';
import { healthySnapshot } from '../../fixtures/snapshots.js';

const rulesDir = fileURLToPath(new URL('../../../shared/rules/', import.meta.url));
const NOT_RULES = new Set(['index.ts', 'types.ts', 'result.ts', 'fixes.ts']);
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f))
  .map((f) => f.replace(/\.ts$/, ''));

describe('rule catalog', () => {
  it('registers every rule file exactly once, with the id equal to the file name', () => {
    expect(rules.map((r) => r.id).sort()).toEqual([...ruleFiles].sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s declares its metadata', (_id, rule) => {
    expect(rule.title.length).toBeGreaterThan(10);
    expect(SEVERITY_ORDER).toContain(rule.severity);
    expect(rule.hipaa.length).toBeGreaterThan(0);
    for (const c of rule.hipaa) expect(c).toMatch(/^164\.3\d\d\(/);
    expect(rule.remediation.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(rule.permissions.length).toBeGreaterThan(0);
    for (const p of rule.permissions) expect(p).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
  });

  it.each(rules.map((r) => [r.id, r] as const))(
    '%s finds nothing wrong with the healthy path',
    (_id, rule) => {
      const results = rule.evaluate(healthySnapshot());
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.ruleId).toBe(rule.id);
        expect(['COMPLIANT', 'NOT_APPLICABLE']).toContain(r.status);
      }
    },
  );
});
