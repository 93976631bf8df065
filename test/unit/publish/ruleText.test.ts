import { describe, expect, it } from 'vitest';
import { runtimeRules } from '../../../shared/rules/runtime/index.js';
import { ruleText } from '../../../shared/publish/ruleText.js';
import { rules } from '../../../shared/rules/index.js';

const every = [...rules, ...runtimeRules].map((r) => [r.id, r] as const);

describe('ruleText', () => {
  it.each(every)(
    '%s has a short problem phrase for alert subjects, and its own title and fix',
    (id, rule) => {
      const text = ruleText(id);
      expect(text.problem).not.toMatch(/^fails /);
      expect(text.problem.length).toBeLessThanOrEqual(60);
      expect(text.title).toBe(rule.title);
      expect(text.remediationText).toBe(rule.remediation.text);
      expect(text.remediationUrl).toBe(rule.remediation.url);
    },
  );

  it('falls back to naming an unknown rule id', () => {
    expect(ruleText('not_a_rule')).toMatchObject({ title: 'not_a_rule', problem: 'fails not_a_rule' });
  });
});
