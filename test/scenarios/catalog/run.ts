/**
 * Runs a scenario end to end against the emulator (build, then scan with the real engine through a
 * ClientFactory acting as the scenario's account) and compares the outcome with its expectation.
 * Shared by the scenario tests and `npm run demo`.
 */
import { scan, type ScanReport } from '../../../shared/engine/scan.js';
import { DEFAULT_PARAMETERS } from '../../../shared/model/snapshot.js';
import { rules as catalog } from '../../../shared/rules/index.js';
import type { RuleResult, Status } from '../../../shared/rules/types.js';
import { scenario } from '../builder.js';
import type { ScanTarget, ScenarioDefinition } from './types.js';

export interface ScenarioOutcome {
  readonly definition: ScenarioDefinition;
  /** The home account the scenario was built and scanned in. */
  readonly account: string;
  readonly target: ScanTarget;
  readonly report: ScanReport;
  readonly buildMs: number;
  readonly scanMs: number;
}

/** Builds `definition` in `account` and scans it; throws when building fails. */
export const runScenario = async (
  definition: ScenarioDefinition,
  endpoint: string,
  account: string,
): Promise<ScenarioOutcome> => {
  const env = await scenario(endpoint, { account });
  const started = performance.now();
  const target = await definition.build(env, definition.name);
  const built = performance.now();
  const session = env.session(target.factory ?? {}, { ...DEFAULT_PARAMETERS, ...definition.parameters });
  const report = await scan(session, {
    buckets: target.buckets ?? [],
    all: target.all ?? false,
    ...(target.accountId ? { accountId: target.accountId } : {}),
  });
  return { definition, account, target, report, buildMs: built - started, scanMs: performance.now() - built };
};

/** The sorted, distinct rule ids with at least one result of `status`. */
export const ruleIdsWith = (results: readonly RuleResult[], status: Status): string[] =>
  [...new Set(results.filter((r) => r.status === status).map((r) => r.ruleId))].sort();

/** What the scenario promises about rule ids, and what the scan gave, side by side (for exact comparison). */
export const verdictOf = (outcome: ScenarioOutcome) => {
  const { expect } = outcome.definition;
  const { results } = outcome.report;
  return {
    expected: { nonCompliant: [...expect.nonCompliant].sort(), unknown: [...(expect.unknown ?? [])].sort() },
    actual: { nonCompliant: ruleIdsWith(results, 'NON_COMPLIANT'), unknown: ruleIdsWith(results, 'UNKNOWN') },
  };
};

/** Every way the outcome differs from the scenario's expectation; empty when it matches. */
export const problemsOf = (outcome: ScenarioOutcome): string[] => {
  const { expect, verify } = outcome.definition;
  const { results, errors } = outcome.report;
  const { expected, actual } = verdictOf(outcome);
  const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : 'none');
  const problems: string[] = errors.map((e) => `scan error on ${e.bucket}: ${e.code} ${e.message}`);
  if (list(expected.nonCompliant) !== list(actual.nonCompliant))
    problems.push(`NON_COMPLIANT: expected ${list(expected.nonCompliant)}, got ${list(actual.nonCompliant)}`);
  if (list(expected.unknown) !== list(actual.unknown))
    problems.push(`UNKNOWN: expected ${list(expected.unknown)}, got ${list(actual.unknown)}`);
  const mustPass = expect.compliant === 'all' ? catalog.map((r) => r.id) : (expect.compliant ?? []);
  const passing = new Set(ruleIdsWith(results, 'COMPLIANT'));
  const notPassing = mustPass.filter((id) => !passing.has(id));
  if (notPassing.length > 0) problems.push(`never COMPLIANT: ${notPassing.join(', ')}`);
  for (const [ruleId, text] of Object.entries(expect.mentions ?? {}))
    for (const r of results)
      if (
        r.ruleId === ruleId &&
        (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN') &&
        !r.message.includes(text)
      )
        problems.push(`${ruleId} ${r.status} does not mention "${text}": ${r.message}`);
  if (results.length === 0) problems.push('the scan produced no results');
  return [...problems, ...(verify?.(results, outcome.target) ?? [])];
};
