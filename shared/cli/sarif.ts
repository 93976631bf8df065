import { rules as catalog } from '../rules/index.js';
import type { RuleResult, Severity } from '../rules/types.js';
import { VERSION } from '../version.js';
import { arns } from '../model/partition.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
};

/** SARIF 2.1.0 for code-scanning dashboards: one result per failing (or unknown) rule result. */
export const toSarif = (results: readonly RuleResult[]): Record<string, unknown> => ({
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'replguard',
          version: VERSION,
          informationUri: 'https://github.com/replguard/replguard',
          rules: catalog.map((r) => ({
            id: r.id,
            shortDescription: { text: r.title },
            help: { text: `${r.remediation.text} ${r.remediation.url}` },
            helpUri: r.remediation.url,
            properties: { severity: r.severity, hipaa: r.hipaa },
          })),
        },
      },
      results: results
        .filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN')
        .map((r) => ({
          ruleId: r.ruleId,
          level: r.status === 'UNKNOWN' ? 'warning' : LEVEL[r.severity],
          message: { text: `${r.message} Fix: ${r.remediation}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: arns.bucket(r.region, r.bucket) } },
              logicalLocations: [
                {
                  name: r.destinationBucket ? `${r.bucket} → ${r.destinationBucket}` : r.bucket,
                  fullyQualifiedName: [r.accountId, r.region, r.bucket, r.replicationRuleId ?? '']
                    .filter(Boolean)
                    .join('/'),
                  kind: 'resource',
                },
              ],
            },
          ],
          properties: { status: r.status, severity: r.severity, hipaa: r.hipaa },
        })),
    },
  ],
});
