/**
 * The functions' configuration, from their environment (the stack sets it from its parameters): the scan
 * parameters (shared/events/parameters.ts validates them) and which sinks run. Every `REPLGUARD_*` variable
 * a function reads is declared here or in the parameters module.
 */
import { DEFAULT_EXCEPTIONS_PARAMETER } from '../findings/exceptions.js';
import { parametersFromEnv } from '../events/parameters.js';
import type { ScanParameters } from '../model/snapshot.js';
import { SINKS, type SinkSettings } from '../publish/sinks/index.js';

/** How long a scheduled run keeps back for publishing and handing over (`REPLGUARD_DEADLINE_RESERVE_MS`). */
export const RESERVE_ENV = 'REPLGUARD_DEADLINE_RESERVE_MS';
export const DEFAULT_RESERVE_MS = 90_000;
/** How long a runtime incident must be quiet before a re-evaluation closes it (`REPLGUARD_RUNTIME_QUIET_MINUTES`). */
export const QUIET_ENV = 'REPLGUARD_RUNTIME_QUIET_MINUTES';
export const DEFAULT_QUIET_MINUTES = 60;
/** The SSM parameter holding the risk exceptions (`REPLGUARD_EXCEPTIONS_PARAMETER`; `off` reads none). */
export const EXCEPTIONS_ENV = 'REPLGUARD_EXCEPTIONS_PARAMETER';
/** How many buckets a function judges at once (`REPLGUARD_CONCURRENCY`). */
export const CONCURRENCY_ENV = 'REPLGUARD_CONCURRENCY';
export const DEFAULT_CONCURRENCY = 8;
// --- Organization-wide edge index (issue 14, edge index) ---
/** The DynamoDB table of the Organization-wide replication edge index (`REPLGUARD_EDGES_TABLE`; unset: none). */
export const EDGES_TABLE_ENV = 'REPLGUARD_EDGES_TABLE';
// --- end edge index ---

export interface RuntimeConfig {
  readonly parameters: ScanParameters;
  readonly sinks: SinkSettings;
  /** Time a scheduled run keeps back for publishing and handing over. */
  readonly reserveMs: number;
  /** Buckets judged at once. */
  readonly concurrency: number;
  /** Quiet period of runtime incidents (replication failures, missed thresholds) before they close. */
  readonly quietPeriodMs: number;
  /** The SSM parameter of the risk exceptions, or undefined for none. */
  readonly exceptionsParameter?: string;
  /** The edge index's DynamoDB table (unset: each account's own index only, as the CLI and older stacks). */
  readonly edgesTable?: string;
}

/** "off", "false", "0", "no" switch a flag off; empty means the default. */
export const flag = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined || value.trim() === ''
    ? fallback
    : !['off', 'false', '0', 'no'].includes(value.trim().toLowerCase());

const text = (value: string | undefined): string | undefined => value?.trim() || undefined;

/** "CRITICAL, high" → ["CRITICAL", "HIGH"]. */
export const listOf = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);

/** The sink settings from the environment: each sink of the registry declares its variable. */
export const sinkSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): SinkSettings => {
  const settings: Record<string, string | boolean | string[]> = { securityHub: true };
  for (const setting of SINKS.flatMap((d) => d.settings ?? [])) {
    const value = env[setting.env];
    if (setting.kind === 'switch') settings[setting.key] = flag(value, true);
    else if (setting.kind === 'list' && text(value)) settings[setting.key] = listOf(value as string);
    else if (text(value)) settings[setting.key] = text(value) as string;
  }
  return settings as unknown as SinkSettings;
};

/** The whole configuration; throws EventError naming every invalid parameter. */
export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): RuntimeConfig => ({
  parameters: parametersFromEnv(env),
  sinks: sinkSettingsFromEnv(env),
  reserveMs: positive(env[RESERVE_ENV], DEFAULT_RESERVE_MS),
  concurrency: Math.floor(positive(env[CONCURRENCY_ENV], DEFAULT_CONCURRENCY)),
  quietPeriodMs: positive(env[QUIET_ENV], DEFAULT_QUIET_MINUTES) * 60_000,
  ...exceptionsParameterOf(env[EXCEPTIONS_ENV]),
  ...(text(env[EDGES_TABLE_ENV]) ? { edgesTable: text(env[EDGES_TABLE_ENV]) as string } : {}),
});

const exceptionsParameterOf = (value: string | undefined): { exceptionsParameter?: string } => {
  const name = value?.trim();
  if (name === undefined || name === '') return { exceptionsParameter: DEFAULT_EXCEPTIONS_PARAMETER };
  return flag(name, true) ? { exceptionsParameter: name } : {};
};

const positive = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
