/** SARIF for GitHub code scanning: valid SARIF 2.1.0, with what code scanning reads to rank and track alerts. */
import { describe, expect, it } from 'vitest';
import { SECURITY_SEVERITY, toSarif } from '../../../shared/cli/sarif.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { rules } from '../../../shared/rules/index.js';
import { conforms } from '../../fixtures/contracts/index.js';
import { failing, RAW_KEYS, runtimeFailure } from '../publish/fixtures.js';

/** A catalog rule's result carrying object keys in its message and details. */
const runtimeLike = runtimeFailure({
  ruleId: 'replication_backlog_objects',
  message: `2 versions never replicated, e.g. ${RAW_KEYS[0]}.`,
});

interface SarifRun {
  tool: { driver: { rules: Record<string, unknown>[] } };
  automationDetails?: { id: string };
  results: Record<string, unknown>[];
}
const runOf = (log: Record<string, unknown>) => (log.runs as SarifRun[])[0] as SarifRun;

const results = [
  failing(),
  failing({ bucket: 'phi-archive', status: 'UNKNOWN', severity: 'HIGH', ruleId: 'tls_only_policy' }),
  failing({ bucket: 'phi-ok', status: 'COMPLIANT' }),
];

describe('toSarif', () => {
  const log = toSarif(results, { accountId: '111111111111' });
  const run = runOf(log);

  it('conforms to the SARIF 2.1.0 schema', () => {
    expect(conforms('sarif-2.1.0', log)).toEqual([]);
    expect(conforms('sarif-2.1.0', toSarif([]))).toEqual([]);
  });

  it('the schema check has teeth: a wrong level is refused', () => {
    const broken = structuredClone(log) as { runs: { results: { level: string }[] }[] };
    (broken.runs[0]?.results[0] as { level: string }).level = 'critical';
    expect(conforms('sarif-2.1.0', broken)).not.toEqual([]);
  });

  it('describes every rule with what code scanning shows: descriptions, help, helpUri, tags, security-severity', () => {
    expect(run.tool.driver.rules).toHaveLength(rules.length);
    const rule = run.tool.driver.rules.find((r) => r.id === 'versioning_destination_enabled');
    expect(rule).toMatchObject({
      shortDescription: { text: 'Replication destinations keep versioning enabled' },
      fullDescription: { text: expect.stringContaining('destination versioning not enabled') },
      help: {
        text: expect.any(String),
        markdown: expect.stringContaining('[AWS documentation](https://docs.aws.amazon.com/'),
      },
      helpUri: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html',
      defaultConfiguration: { level: 'error' },
      properties: {
        'security-severity': '9.5',
        tags: [
          'security',
          'hipaa',
          's3-replication',
          'severity/critical',
          'hipaa/164.308(a)(7)(ii)(A)',
          'hipaa/164.312(c)(1)',
        ],
      },
    });
  });

  it.each([
    ['CRITICAL', 9.1, 10],
    ['HIGH', 7, 8.9],
    ['MEDIUM', 4, 6.9],
    ['LOW', 0.1, 3.9],
  ] as const)('scores %s inside GitHub’s band for it', (severity, low, high) => {
    const score = Number(SECURITY_SEVERITY[severity]);
    expect(score).toBeGreaterThanOrEqual(low);
    expect(score).toBeLessThanOrEqual(high);
  });

  it('reports the failing and unknown results only, each with a location GitHub accepts', () => {
    expect(run.results.map((r) => r.ruleId)).toEqual(['versioning_destination_enabled', 'tls_only_policy']);
    expect(run.results[0]).toMatchObject({
      level: 'error',
      ruleIndex: rules.findIndex((r) => r.id === 'versioning_destination_enabled'),
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'aws/111111111111/us-east-1/s3/phi-prod' },
            region: { startLine: 1 },
          },
          logicalLocations: [{ fullyQualifiedName: 'arn:aws:s3:::phi-prod', kind: 'resource' }],
        },
      ],
    });
    expect(run.results[1]).toMatchObject({ level: 'warning', properties: { status: 'UNKNOWN' } });
  });

  it('fingerprints each result by its finding id, the same on every run', () => {
    const again = runOf(toSarif([failing()]));
    const fingerprints = run.results[0]?.partialFingerprints as Record<string, string>;
    expect(fingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(fingerprints['replguard/findingId/v1']).toBe(findingIdOf(failing()));
    expect(again.results[0]?.partialFingerprints).toEqual(fingerprints);
    expect(run.results[1]?.partialFingerprints).not.toEqual(fingerprints);
  });

  it('hashes object keys, as every output leaving ReplGuard does', () => {
    const text = JSON.stringify(toSarif([runtimeLike]));
    for (const key of RAW_KEYS) expect(text).not.toContain(key);
  });

  it('puts each account in its own code-scanning category', () => {
    expect(run.automationDetails).toEqual({ id: 'replguard/111111111111/' });
  });
});
