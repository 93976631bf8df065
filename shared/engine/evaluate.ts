import type { Snapshot } from '../model/snapshot.js';
import { rules as catalog } from '../rules/index.js';
import type { Rule, RuleResult } from '../rules/types.js';

/**
 * Runs every rule over one snapshot. A rule that throws yields UNKNOWN for that rule with the error,
 * never a missing result and never COMPLIANT.
 */
export const evaluateSnapshot = (snapshot: Snapshot, rules: readonly Rule[] = catalog): RuleResult[] =>
  rules.flatMap((rule) => {
    try {
      return [...rule.evaluate(snapshot)];
    } catch (error) {
      return [
        {
          ruleId: rule.id,
          status: 'UNKNOWN' as const,
          severity: rule.severity,
          bucket: snapshot.source.name,
          destinationBucket: null,
          replicationRuleId: null,
          message: `Rule ${rule.id} failed to evaluate: ${(error as Error).message}`,
          remediation:
            'This is a ReplGuard defect: report it with the bucket configuration (no object data).',
          hipaa: rule.hipaa,
          accountId: snapshot.source.accountId,
          region: snapshot.source.region,
        },
      ];
    }
  });
