/**
 * What runtime rules say about a diagnosis: the results about one pair, the NON_COMPLIANT ones that explain
 * a symptom, and how to put that in words and fixes.
 */
import type { Diagnosis, PairRef } from '../../model/diagnosis.js';
import type { ResourceRef, RuleResult } from '../../model/result.js';
import { REPLICATION_BREAKING_RULE_IDS } from '../runtime/failureReasons.js';
import type { RuntimeRule } from '../runtime/types.js';

/** The results about one pair: its destination and replication rule, plus the bucket-level ones. */
export const pairResults = (results: readonly RuleResult[], pair: PairRef): RuleResult[] =>
  results.filter(
    (r) =>
      r.bucket === pair.bucket &&
      (r.destinationBucket === null || r.destinationBucket === pair.destinationBucket) &&
      (r.replicationRuleId === null || r.replicationRuleId === pair.replicationRuleId),
  );

export interface RootCause {
  /** NON_COMPLIANT results of the rules that explain the symptom. */
  readonly causes: readonly RuleResult[];
  /** Those rules that could not be verified (UNKNOWN: a read was denied). */
  readonly unverified: readonly RuleResult[];
  /** Other NON_COMPLIANT results on the pair (not the explanation, but worth fixing). */
  readonly otherProblems: readonly RuleResult[];
}

/** Splits a pair's results by whether they explain a symptom diagnosed by `ruleIds` (all rules when empty). */
export const rootCauseOf = (results: readonly RuleResult[], ruleIds: readonly string[]): RootCause => {
  const relevant = (r: RuleResult) => ruleIds.length === 0 || ruleIds.includes(r.ruleId);
  return {
    causes: results.filter((r) => r.status === 'NON_COMPLIANT' && relevant(r)),
    unverified: results.filter((r) => r.status === 'UNKNOWN' && relevant(r)),
    otherProblems: results.filter((r) => r.status === 'NON_COMPLIANT' && !relevant(r)),
  };
};

/** The root cause of a symptom on `pair`, from its diagnosis (nothing when the diagnosis failed). */
export const rootCauseOnPair = (diagnosis: Diagnosis, pair: PairRef, ruleIds: readonly string[]): RootCause =>
  rootCauseOf(diagnosis.ok ? pairResults(diagnosis.results, pair) : [], ruleIds);

/** "phi-prod to phi-dr (rule to-dr)". */
export const pathOf = (pair: PairRef): string =>
  `${pair.bucket} to ${pair.destinationBucket} (rule ${pair.replicationRuleId})`;

/** What the diagnosis says about a symptom, one sentence per cause (in catalog order). */
export const explain = (
  root: RootCause,
  ruleIds: readonly string[],
  diagnosis: Diagnosis,
  options: { readonly objectLevel?: boolean; readonly label?: string } = {},
): string => {
  if (!diagnosis.ok) return `Diagnosis unavailable: ${diagnosis.reason}.`;
  if (root.causes.length > 0)
    return `${options.label ?? 'Root cause'}: ${root.causes.map((c) => `[${c.ruleId}] ${c.message}`).join(' ')}`;
  if (root.unverified.length > 0)
    return `Could not verify ${[...new Set(root.unverified.map((u) => u.ruleId))].join(', ')}: ${root.unverified[0]?.message ?? ''}`;
  const others = [...new Set(root.otherProblems.map((o) => o.ruleId))];
  const checked =
    ruleIds === REPLICATION_BREAKING_RULE_IDS ? 'the rules that can stop replication' : ruleIds.join(', ');
  const found = options.objectLevel
    ? 'This reason concerns the objects themselves rather than the configuration'
    : `ReplGuard found no configuration problem in ${checked}; the cause may be transient or outside what ReplGuard reads`;
  return `${found}${others.length > 0 ? `; other problems on this path: ${others.join(', ')}` : ''}.`;
};

/** The fixes of the causes (once each), else the rule's own remediation, then `extra`. */
export const remediationOf = (rule: RuntimeRule, root: RootCause, extra: string): string => {
  const fixes = [...new Set(root.causes.map((c) => c.remediation).filter(Boolean))];
  return [...(fixes.length > 0 ? fixes : [rule.remediation.text]), extra].filter(Boolean).join('\n');
};

/** The resources the causes (and unverified rules) point at, once each. */
export const resourcesOf = (root: RootCause): ResourceRef[] => {
  const seen = new Map<string, ResourceRef>();
  for (const r of [...root.causes, ...root.unverified])
    for (const ref of r.resources ?? []) seen.set(ref.id, ref);
  return [...seen.values()];
};

/** The destination's account, as the diagnosis of the pair read it (for alerts that cross accounts). */
export const destinationAccountOn = (diagnosis: Diagnosis | undefined, pair: PairRef): string | undefined =>
  diagnosis?.ok
    ? pairResults(diagnosis.results, pair).find((r) => r.destinationBucket === pair.destinationBucket)
        ?.destinationAccountId
    : undefined;
