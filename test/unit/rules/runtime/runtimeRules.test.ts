import { describe, expect, it } from 'vitest';
import { runtimeRuleById, runtimeRules } from '../../../../shared/rules/runtime/index.js';
import { rules } from '../../../../shared/rules/index.js';
import { SEVERITY_ORDER } from '../../../../shared/rules/types.js';

describe('runtime rules', () => {
  it.each([
    ['replication_operations_failing', 'CRITICAL'],
    ['replication_threshold_missed', 'HIGH'],
    ['replication_backlog', 'HIGH'],
    ['replication_canary_failed', 'HIGH'],
  ])('%s is %s', (id, severity) => {
    expect(runtimeRuleById(id)?.severity).toBe(severity);
  });

  it.each(runtimeRules.map((r) => [r.id, r] as const))('%s declares the catalog metadata', (_id, rule) => {
    expect(rule.title.length).toBeGreaterThan(10);
    expect(SEVERITY_ORDER).toContain(rule.severity);
    expect(rule.hipaa.length).toBeGreaterThan(0);
    for (const c of rule.hipaa) expect(c).toMatch(/^164\.3\d\d\(/);
    expect(rule.remediation.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('never reuses a catalog rule id', () => {
    const catalog = new Set(rules.map((r) => r.id));
    for (const r of runtimeRules) expect(catalog.has(r.id)).toBe(false);
  });
});
