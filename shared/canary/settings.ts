/**
 * The canary's settings, from the function's environment (the stack sets them from its parameters). Every
 * `REPLGUARD_CANARY_*` variable is declared here; a value that is not a number in range is refused.
 */
import { EventError, EventErrorCode } from '../events/errors.js';

/** Sources whose default Object Lock retention is longer are skipped (`CanaryMaxRetentionDays`). */
export const MAX_RETENTION_ENV = 'REPLGUARD_CANARY_MAX_RETENTION_DAYS';
/** How long a run waits for the canary it wrote before leaving it to the next run. */
export const WAIT_ENV = 'REPLGUARD_CANARY_WAIT_SECONDS';

export const DEFAULT_MAX_RETENTION_DAYS = 1;
export const DEFAULT_WAIT_SECONDS = 30;
/** The stack's largest CanaryMaxRetentionDays, and the longest wait a run may spend. */
export const MAX_RETENTION_LIMIT = 36500;
export const MAX_WAIT_SECONDS = 600;
/** Between two looks while waiting. */
export const POLL_INTERVAL_MS = 2000;

export interface CanarySettings {
  readonly maxRetentionDays: number;
  readonly waitMs: number;
  readonly pollMs: number;
}

const wholeNumber = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number => {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (Number.isInteger(n) && n >= 0 && n <= max) return n;
  problems.push(`${name} must be a whole number from 0 to ${max}`);
  return fallback;
};

/** The settings; throws EventError (INVALID_RULE_PARAMETERS) naming every invalid variable. */
export const canarySettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): CanarySettings => {
  const problems: string[] = [];
  const maxRetentionDays = wholeNumber(
    env,
    MAX_RETENTION_ENV,
    DEFAULT_MAX_RETENTION_DAYS,
    MAX_RETENTION_LIMIT,
    problems,
  );
  const waitSeconds = wholeNumber(env, WAIT_ENV, DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, problems);
  if (problems.length > 0)
    throw new EventError('Invalid canary settings', EventErrorCode.InvalidRuleParameters, problems);
  return { maxRetentionDays, waitMs: waitSeconds * 1000, pollMs: POLL_INTERVAL_MS };
};
