/**
 * The shape of a seed scenario: a failure mode (or a healthy setup) a healthcare architect would recognise,
 * built in the emulator with the scenario builder, and the exact verdict the rule catalog must reach on it.
 */
import type { ScanParameters } from '../../../shared/model/snapshot.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import type { FactoryOptions, PairOptions, Scenario } from '../builder.js';

export const ScenarioKind = {
  Healthy: 'healthy',
  NearMiss: 'near-miss',
  Failure: 'failure',
  Access: 'access',
} as const;
export type ScenarioKind = (typeof ScenarioKind)[keyof typeof ScenarioKind];

/** What to scan once the scenario is built, and as whom. */
export interface ScanTarget {
  /** Buckets scanned by name. */
  readonly buckets?: readonly string[];
  /** Scan every in-scope bucket of the home account (`replguard scan --all`). */
  readonly all?: boolean;
  /** How ReplGuard's client factory behaves (e.g. calls refused with AccessDenied). */
  readonly factory?: FactoryOptions;
  /** Names of what was built, for `verify` (e.g. `{ destination: 'phi-dr-123456' }`). */
  readonly refs?: Readonly<Record<string, string>>;
  /**
   * The account scanned when it is not the home account (read through the cross-account role): the home
   * account is then the central one (an Organization's management account scanning a member account).
   */
  readonly accountId?: string;
}

export interface ScenarioExpectation {
  /** The EXACT set of rule ids with at least one NON_COMPLIANT result. */
  readonly nonCompliant: readonly string[];
  /** The exact set of rule ids with at least one UNKNOWN result (default: none). */
  readonly unknown?: readonly string[];
  /** Rule ids that must have at least one COMPLIANT result (`all`: the whole catalog), so a pass is earned. */
  readonly compliant?: readonly string[] | 'all';
  /** Text every NON_COMPLIANT or UNKNOWN result of a rule must contain (e.g. the missing permission). */
  readonly mentions?: Readonly<Record<string, string>>;
  /**
   * Rule ids whose fix only a person can decide (no command is printed for them); every other NON_COMPLIANT
   * result must be fixed by the printed plan, proven by a scan after running it.
   */
  readonly decisions?: readonly string[];
}

export interface ScenarioDefinition {
  /** Unique, kebab-case, at most 30 characters: also the base name of the scenario's buckets and roles. */
  readonly name: string;
  /** The failure mode in one line, as a healthcare architect would recognise it. */
  readonly description: string;
  readonly kind: ScenarioKind;
  /** Scan parameters beyond the defaults (requireCrossRegion on, requireRtc off). */
  readonly parameters?: Partial<ScanParameters>;
  /** Builds the scenario in its own account (`env.home`), naming resources after `name`; says what to scan. */
  readonly build: (env: Scenario, name: string) => Promise<ScanTarget>;
  readonly expect: ScenarioExpectation;
  /**
   * Scanned from the Organization's management account (`ScanTarget.accountId`): the fix plan is not run by
   * the convergence tests (`replguard fix` acts in the home account, and Organization policies are decisions).
   */
  readonly central?: boolean;
  /** Further checks on the results; returns the problems found (empty when all is well). */
  readonly verify?: (results: readonly RuleResult[], target: ScanTarget) => string[];
}

/** Identity helper that checks a scenario's shape. */
export const defineScenario = (definition: ScenarioDefinition): ScenarioDefinition => definition;

/**
 * The healthy baseline most failure scenarios break one thing of: cross-account, cross-Region, SSE-KMS with
 * customer managed keys, metrics, a backlog alarm, failure notifications and data-event trails.
 */
export const HEALTHY: Omit<PairOptions, 'name'> = {
  crossAccount: true,
  crossRegion: true,
  kms: true,
  monitored: true,
};

/** Builds a pair from the healthy baseline plus `change`, scanned by its source bucket. */
export const pair =
  (change: Omit<PairOptions, 'name'> = {}) =>
  async (env: Scenario, name: string): Promise<ScanTarget> => {
    const path = await env.replicatedPair({ name, ...HEALTHY, ...change });
    return {
      buckets: [path.source.name],
      refs: { source: path.source.name, destination: path.destination.name },
    };
  };
