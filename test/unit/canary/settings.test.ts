import { describe, expect, it } from 'vitest';
import { canarySettingsFromEnv } from '../../../shared/canary/settings.js';

describe('canarySettingsFromEnv', () => {
  it('defaults to a one-day retention limit and a 30-second wait', () => {
    expect(canarySettingsFromEnv({})).toEqual({ maxRetentionDays: 1, waitMs: 30_000, pollMs: 2000 });
    expect(canarySettingsFromEnv({ REPLGUARD_CANARY_MAX_RETENTION_DAYS: ' ' }).maxRetentionDays).toBe(1);
  });

  it('reads the stack parameter and the wait', () => {
    expect(
      canarySettingsFromEnv({ REPLGUARD_CANARY_MAX_RETENTION_DAYS: '0', REPLGUARD_CANARY_WAIT_SECONDS: '5' }),
    ).toMatchObject({ maxRetentionDays: 0, waitMs: 5000 });
  });

  it('refuses values that are not whole numbers in range, naming every variable', () => {
    expect(() =>
      canarySettingsFromEnv({
        REPLGUARD_CANARY_MAX_RETENTION_DAYS: '1.5',
        REPLGUARD_CANARY_WAIT_SECONDS: '9999',
      }),
    ).toThrow(
      /REPLGUARD_CANARY_MAX_RETENTION_DAYS must be a whole number from 0 to 36500; REPLGUARD_CANARY_WAIT_SECONDS must be a whole number from 0 to 600/,
    );
  });
});
