/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF consumer): one result per NON_COMPLIANT or UNKNOWN rule
 * result, with what GitHub reads: rules with `shortDescription`, `fullDescription`, `help` (text and markdown),
 * `helpUri`, `defaultConfiguration.level` and `properties.tags` / `properties.security-severity`; results with
 * a location GitHub accepts (a relative path naming account, Region and bucket, never an ARN: upload-sarif
 * rejects absolute URIs of another scheme) and `partialFingerprints` that stay the same across runs. Object
 * keys are hashed (shared/findings/redaction.ts): the file is uploaded elsewhere.
 */
import { createHash } from 'node:crypto';
import { findingIdOf } from '../findings/identity.js';
import { redactionSettings, redactResult } from '../findings/redaction.js';
import { rules as catalog } from '../rules/index.js';
import type { RuleResult, Severity } from '../rules/types.js';
import { VERSION } from '../version.js';
import { arns } from '../model/partition.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
};

/**
 * GitHub's security severity, a CVSS-like score as a string: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9
 * medium, 0.1 to 3.9 low (docs.github.com, SARIF support for code scanning); 0.0 has none.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
  INFORMATIONAL: '0.0',
};

/** Tags shown and filtered on by code scanning (at most 20 per rule, GitHub shows 10). */
const tagsOf = (severity: Severity, hipaa: readonly string[]): string[] => [
  'security',
  'hipaa',
  's3-replication',
  `severity/${severity.toLowerCase()}`,
  ...hipaa.map((c) => `hipaa/${c}`),
];

/**
 * The result's fingerprint for code scanning: `primaryLocationLineHash` (the one GitHub uses) is 16 hex
 * characters of SHA-256 over the finding id (account, Region, buckets, replication rule, rule), so a finding
 * keeps its alert across runs; `replguard/findingId/v1` carries the id itself.
 */
export const fingerprintsOf = (r: RuleResult): Record<string, string> => {
  const id = findingIdOf(r);
  return {
    primaryLocationLineHash: `${createHash('sha256').update(id).digest('hex').slice(0, 16)}:1`,
    'replguard/findingId/v1': id,
  };
};

/** `aws/111122223333/us-east-1/s3/phi-prod`: a relative path (valid uri-reference), the same every run. */
export const artifactUriOf = (r: RuleResult): string =>
  ['aws', r.accountId, r.region, 's3', r.bucket].map(encodeURIComponent).join('/');

export interface SarifOptions {
  /** The scanned account: `automationDetails.id` is `replguard/<account>/`, one category per account. */
  readonly accountId?: string;
}

/** SARIF 2.1.0 for code-scanning dashboards: one result per failing (or unknown) rule result. */
export const toSarif = (
  results: readonly RuleResult[],
  options: SarifOptions = {},
): Record<string, unknown> => ({
  $schema: SARIF_SCHEMA,
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'ReplGuard',
          version: VERSION,
          semanticVersion: VERSION,
          informationUri: 'https://github.com/replguard/replguard',
          rules: catalog.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.title },
            fullDescription: {
              text: `${r.title}: fails when ${r.problem}. HIPAA (45 CFR) ${r.hipaa.join(', ')}.`,
            },
            help: {
              text: `${r.remediation.text} ${r.remediation.url}`,
              markdown: `${r.remediation.text}\n\n[AWS documentation](${r.remediation.url})\n\nHIPAA (45 CFR): ${r.hipaa.join(', ')}`,
            },
            helpUri: r.remediation.url,
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: {
              tags: tagsOf(r.severity, r.hipaa),
              'security-severity': SECURITY_SEVERITY[r.severity],
              precision: 'very-high',
              severity: r.severity,
              hipaa: r.hipaa,
            },
          })),
        },
      },
      ...(options.accountId ? { automationDetails: { id: `replguard/${options.accountId}/` } } : {}),
      results: results
        .filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN')
        .map((r) => redactResult(r, redactionSettings({}, r.accountId)))
        .map((r) => {
          const ruleIndex = catalog.findIndex((c) => c.id === r.ruleId);
          return {
            ruleId: r.ruleId,
            ...(ruleIndex >= 0 ? { ruleIndex } : {}),
            level: r.status === 'UNKNOWN' ? 'warning' : LEVEL[r.severity],
            message: { text: `${r.message} Fix: ${r.remediation}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUriOf(r) },
                  region: { startLine: 1 },
                },
                logicalLocations: [
                  {
                    name: r.destinationBucket ? `${r.bucket} → ${r.destinationBucket}` : r.bucket,
                    fullyQualifiedName: arns.bucket(r.region, r.bucket),
                    kind: 'resource',
                  },
                ],
              },
            ],
            partialFingerprints: fingerprintsOf(r),
            properties: {
              status: r.status,
              severity: r.severity,
              'security-severity': SECURITY_SEVERITY[r.severity],
              hipaa: r.hipaa,
              accountId: r.accountId,
              region: r.region,
              bucket: r.bucket,
              ...(r.destinationBucket ? { destinationBucket: r.destinationBucket } : {}),
              ...(r.replicationRuleId ? { replicationRuleId: r.replicationRuleId } : {}),
              findingId: findingIdOf(r),
            },
          };
        }),
    },
  ],
});
