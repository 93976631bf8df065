import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WATCHED_CALLS } from '../../../shared/events/cloudTrail.js';
import { FAILURE_REASONS } from '../../../shared/rules/runtime/failureReasons.js';
import { runtimeRules } from '../../../shared/rules/runtime/index.js';

const doc = readFileSync(new URL('../../../docs/functions.md', import.meta.url), 'utf8');

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
});
