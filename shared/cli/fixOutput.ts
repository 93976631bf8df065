/**
 * A fix plan for people (text), machines (JSON, version 1) and shells (a bash script with a comment per
 * step). Every command is the planner's: one per resource, proven by re-evaluation.
 */
import type { FixStep } from '../model/fix.js';
import type { RuleResult } from '../model/result.js';
import type { Plan } from '../fix/planner.js';
import { VERSION } from '../version.js';
import { resultJson } from './output.js';

export interface Decision {
  readonly ruleId: string;
  readonly bucket: string;
  readonly destinationBucket: string | null;
  readonly decision: string;
}

/** The failing results whose fix waits on a person. */
export const decisionsOf = (results: readonly RuleResult[]): Decision[] =>
  results.flatMap((r) =>
    r.status === 'NON_COMPLIANT' && r.fix?.decision
      ? [
          {
            ruleId: r.ruleId,
            bucket: r.bucket,
            destinationBucket: r.destinationBucket,
            decision: r.fix.decision,
          },
        ]
      : [],
  );

const GLOBAL = new Set(['role', 'role-inline-policy', 'managed-policy', 'trust-policy']);
const where = (s: FixStep) => `account ${s.accountId}${GLOBAL.has(s.resourceType) ? '' : `, ${s.region}`}`;

const path = (d: Decision) => `${d.bucket}${d.destinationBucket ? ` -> ${d.destinationBucket}` : ''}`;

export const planText = (plan: Plan, results: readonly RuleResult[]): string => {
  const decisions = decisionsOf(results);
  const lines: string[] = [];
  if (plan.steps.length > 0) {
    lines.push(
      `Fix plan: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, one per resource, proven by re-evaluating every rule with all of them applied.`,
      '',
    );
    for (const s of plan.steps) {
      lines.push(`${String(s.step).padStart(2)}. ${s.summary} [${where(s)}]`);
      lines.push(
        `    fixes: ${s.fixes.join(', ')}${s.after.length ? `; after step ${s.after.join(', ')}` : ''}`,
      );
      lines.push(`    ${s.command}`);
    }
  }
  if (decisions.length > 0) {
    lines.push('', 'Decisions for you (no command is printed for these):');
    for (const d of decisions) lines.push(` - ${d.ruleId} (${path(d)}): ${d.decision}`);
  }
  if (plan.caveats.length > 0) {
    lines.push('', 'Could not be verified before applying:');
    for (const c of plan.caveats) lines.push(` - ${c}`);
  }
  const elsewhere = [...new Set(plan.steps.map((s) => s.accountId))];
  if (elsewhere.length > 1)
    lines.push(
      '',
      `Steps run in ${elsewhere.length} accounts (${elsewhere.join(', ')}): use each account's credentials.`,
    );
  return lines.join('\n');
};

export const planJson = (plan: Plan, results: readonly RuleResult[]): string =>
  JSON.stringify(
    {
      version: 1,
      plan: { steps: plan.steps, decisions: decisionsOf(results), caveats: plan.caveats },
      results: results.filter((r) => r.status === 'NON_COMPLIANT').map((r) => resultJson(r, plan.steps)),
    },
    null,
    2,
  );

/** The plan as a bash script: `set -euo pipefail`, a comment per step, decisions as comments. */
export const planScript = (
  plan: Plan,
  results: readonly RuleResult[],
  target: string,
  now = new Date(),
): string => {
  const lines = [
    '#!/usr/bin/env bash',
    `# ReplGuard ${VERSION} fix plan for ${target}, ${now.toISOString()}.`,
    '# One step per resource, in dependency order, proven by re-evaluating every rule with all steps applied.',
    '# Run each step with credentials of the account it names. Review before running.',
    'set -euo pipefail',
  ];
  for (const s of plan.steps)
    lines.push(
      '',
      `# Step ${s.step}/${plan.steps.length}: ${s.summary}`,
      `# Account ${s.accountId}, ${s.region}; fixes ${s.fixes.join(', ')}${s.after.length ? `; after step ${s.after.join(', ')}` : ''}.`,
      s.command,
    );
  const decisions = decisionsOf(results);
  if (decisions.length > 0) {
    lines.push('', '# Decisions for you (no command):');
    for (const d of decisions) lines.push(`#  - ${d.ruleId} (${path(d)}): ${d.decision}`);
  }
  if (plan.steps.length === 0) lines.push('', 'echo "ReplGuard: nothing to run" >&2');
  return `${lines.join('\n')}\n`;
};
