import { ruleById } from '../rules/index.js';
import { runtimeRuleById } from '../rules/runtime/index.js';

/** What publishers say about a rule: its title, a short name for the problem, where to read more. */
export interface RuleText {
  readonly title: string;
  /** A few words naming what is wrong when the rule fails (alert subjects, chat titles). */
  readonly problem: string;
  readonly remediationText: string;
  readonly remediationUrl: string;
}

const TROUBLESHOOTING = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html';

/** The publishing text of a rule id, from the rule's own metadata (catalog or runtime), or a fallback naming the id. */
export const ruleText = (ruleId: string): RuleText => {
  const rule = ruleById(ruleId) ?? runtimeRuleById(ruleId);
  return {
    title: rule?.title ?? ruleId,
    problem: rule?.problem ?? `fails ${ruleId}`,
    remediationText: rule?.remediation.text ?? 'See the finding for the exact fix.',
    remediationUrl: rule?.remediation.url ?? TROUBLESHOOTING,
  };
};
