/**
 * Fix convergence, held to the standard "a fix we print must work when run verbatim, together with every
 * other fix we print": build a broken scenario, scan it, apply the plan (by running the printed commands, or
 * through `replguard fix --apply --yes`), scan again. What the plan fixes must pass, nothing may newly fail,
 * and what it leaves to a person must be stated as a decision.
 */
import { scan } from '../../../shared/engine/scan.js';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../../../shared/model/snapshot.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { scenario } from '../builder.js';
import { scenarios } from '../catalog/index.js';
import { runScenario, type ScenarioOutcome } from '../catalog/run.js';
import type { ScenarioDefinition } from '../catalog/types.js';

/** Every broken scenario of the catalog (healthy, near-miss and unreadable ones have nothing to fix). */
export const brokenScenarios: readonly ScenarioDefinition[] = scenarios.filter(
  (s) => s.kind === 'failure' && !s.central,
);

export const parametersOf = (definition: ScenarioDefinition): ScanParameters => ({
  ...DEFAULT_PARAMETERS,
  ...definition.parameters,
});

/** The scenario scanned again, as it was scanned first. */
export const rescan = async (outcome: ScenarioOutcome, endpoint: string) => {
  const env = await scenario(endpoint, { account: outcome.account });
  const session = env.session(outcome.target.factory ?? {}, parametersOf(outcome.definition));
  return scan(session, { buckets: outcome.target.buckets ?? [], all: outcome.target.all ?? false });
};

const key = (r: RuleResult) =>
  `${r.ruleId} ${r.bucket} -> ${r.destinationBucket ?? ''} (${r.replicationRuleId ?? ''})`;

/** What is wrong with the outcome of a fix: failures left that were not left to a person, and new failures. */
export const convergenceProblems = (
  definition: ScenarioDefinition,
  before: readonly RuleResult[],
  after: readonly RuleResult[],
): string[] => {
  const decided = new Set(definition.expect.decisions ?? []);
  const failedBefore = new Set(before.filter((r) => r.status === 'NON_COMPLIANT').map(key));
  const problems: string[] = [];
  for (const r of after.filter((x) => x.status === 'NON_COMPLIANT')) {
    if (decided.has(r.ruleId)) continue;
    problems.push(
      failedBefore.has(key(r))
        ? `still failing after the fix: ${key(r)}: ${r.message}`
        : `newly failing after the fix: ${key(r)}: ${r.message}`,
    );
  }
  for (const r of after.filter((x) => x.status === 'UNKNOWN' && !before.some((b) => key(b) === key(x))))
    problems.push(`newly UNKNOWN after the fix: ${key(r)}: ${r.message}`);
  for (const id of decided)
    if (!before.some((r) => r.ruleId === id && r.fix?.decision))
      problems.push(`${id} should have been left to a person with a decision, but was not`);
  return problems;
};

export { runScenario };
