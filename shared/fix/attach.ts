/**
 * A plan's outcome on the results: each failing result gets its `fix` (the steps it needs, or the decision
 * it waits on) and a remediation that says what is wrong and then gives those steps' commands, so a command
 * copied from any one finding is the merged one and converges together with every other.
 */
import type { FixStep, ResultFix } from '../model/fix.js';
import type { RuleResult } from '../model/result.js';
import { type Plan, resultKey } from './planner.js';

const MAX_INLINE_STEPS = 6;

/** "Fix (step 2 of the plan): `aws …`" / "Fix (steps 1, 3 of the plan, in this order): `…`; `…`". */
export const fixText = (fix: ResultFix, steps: readonly FixStep[], accountId: string): string => {
  if (!fix.proven || fix.steps.length === 0) return fix.decision ? `Needs a decision: ${fix.decision}` : '';
  const mine = fix.steps.map((n) => steps[n - 1]).filter((s): s is FixStep => s !== undefined);
  const label =
    mine.length === 1
      ? `step ${mine[0]?.step}`
      : `steps ${mine.map((s) => s.step).join(', ')}, in this order`;
  const shown = mine.slice(0, MAX_INLINE_STEPS).map((s) => {
    const elsewhere = s.accountId !== accountId ? ` (with credentials of account ${s.accountId})` : '';
    return `\`${s.command}\`${elsewhere}`;
  });
  const more =
    mine.length > MAX_INLINE_STEPS ? `; and ${mine.length - MAX_INLINE_STEPS} more (replguard fix)` : '';
  return `Fix (${label} of the plan, proven by re-evaluation): ${shown.join('; ')}${more}.`;
};

/** The results with their planned fix attached (the rule's prose first, then the merged commands). */
export const withFixes = (results: readonly RuleResult[], plan: Plan): RuleResult[] =>
  results.map((r) => {
    const fix = plan.fixes.get(resultKey(r));
    if (!fix || r.status !== 'NON_COMPLIANT') return r;
    const text = fixText(fix, plan.steps, r.accountId);
    return { ...r, fix, remediation: text ? `${r.remediation} ${text}` : r.remediation };
  });
