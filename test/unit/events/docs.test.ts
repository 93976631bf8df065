import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WATCHED_CALLS } from '../../../shared/events/cloudTrail.js';
import { FAILURE_REASONS } from '../../../shared/rules/runtime/failureReasons.js';
import { runtimeRules } from '../../../shared/rules/runtime/index.js';

const doc = readFileSync(new URL('../../../docs/functions.md', import.meta.url), 'utf8');

/** Every `REPLGUARD_*` variable the library reads (the environment is a public contract). */
const variablesRead = (): string[] => {
  const root = new URL('../../../shared/', import.meta.url).pathname;
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/'(REPLGUARD_[A-Z_]+)'/g)) names.add(m[1] ?? '');
    }
  };
  walk(root);
  return [...names].sort();
};

describe('docs/functions.md', () => {
  it.each([...FAILURE_REASONS.keys()])('documents failure reason %s', (reason) => {
    expect(doc).toContain(reason);
  });

  it.each(Object.values(WATCHED_CALLS).flat())('lists the watched call %s', (call) => {
    expect(doc).toContain(`\`${call}\``);
  });

  it.each(runtimeRules.map((r) => [r.id, r.severity]))('documents runtime rule %s (%s)', (id, severity) => {
    expect(doc).toMatch(new RegExp(`\`${id}\`\\s*\\|\\s*${severity}`));
  });

  it('finds the variables it checks', () => {
    expect(variablesRead()).toContain('REPLGUARD_PAGERDUTY_SECRET_ARN');
  });

  it.each(variablesRead())('documents the environment variable %s', (name) => {
    expect(doc).toContain(`\`${name}\``);
  });
});
