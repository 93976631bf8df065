import { describe, expect, it } from 'vitest';
import { describeRetention, retentionDays } from '../../../../shared/rules/lib/retention.js';

describe('retention', () => {
  it.each([
    [{ mode: 'COMPLIANCE' as const, days: 30 }, 30, 'COMPLIANCE 30 days'],
    [{ mode: 'GOVERNANCE' as const, years: 1 }, 365, 'GOVERNANCE 1 year'],
    [{ mode: 'GOVERNANCE' as const, years: 7 }, 2555, 'GOVERNANCE 7 years'],
    [{ mode: 'COMPLIANCE' as const, days: 1 }, 1, 'COMPLIANCE 1 day'],
  ])('%o lasts %i days (%s)', (r, days, text) => {
    expect(retentionDays(r)).toBe(days);
    expect(describeRetention(r)).toBe(text);
  });
});
