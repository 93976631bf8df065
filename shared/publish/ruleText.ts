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

/** The synthetic finding `replguard alert test` sends (not a rule: it never comes from an evaluation). */
export const TEST_ALERT = {
  id: 'replguard_test_alert',
  title: 'ReplGuard test alert (not a real finding)',
  problem: 'TEST ALERT, not a real finding',
  remediation: {
    text: 'Nothing to fix: `replguard alert test` sent this to check that alerts reach on-call.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html',
  },
} as const;

/** The publishing text of a rule id, from the rule's own metadata (catalog or runtime), or a fallback naming the id. */
export const ruleText = (ruleId: string): RuleText => {
  const rule =
    ruleById(ruleId) ?? runtimeRuleById(ruleId) ?? (ruleId === TEST_ALERT.id ? TEST_ALERT : undefined);
  return {
    title: rule?.title ?? ruleId,
    problem: rule?.problem ?? `fails ${ruleId}`,
    remediationText: rule?.remediation.text ?? 'See the finding for the exact fix.',
    remediationUrl: rule?.remediation.url ?? TROUBLESHOOTING,
  };
};
