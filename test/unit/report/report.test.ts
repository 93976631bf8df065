import { describe, expect, it } from 'vitest';
import { evaluateSnapshot } from '../../../shared/engine/evaluate.js';
import { hashObjectKey } from '../../../shared/findings/redaction.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { DEFAULT_PARAMETERS, type Snapshot } from '../../../shared/model/snapshot.js';
import { buildReportModel } from '../../../shared/report/build.js';
import { hopOf, RULE_HOPS, worstStatus } from '../../../shared/report/hops.js';
import { renderReport } from '../../../shared/report/html.js';
import { escapeHtml, h } from '../../../shared/report/markup.js';
import type { ReportInput } from '../../../shared/report/model.js';
import { rules } from '../../../shared/rules/index.js';
import { healthySnapshot, RULE_ID, SRC_ACCOUNT, SRC_BUCKET } from '../../fixtures/snapshots.js';

const input = (snapshots: Snapshot[], results: RuleResult[]): ReportInput => ({
  accountId: SRC_ACCOUNT,
  region: 'us-east-1',
  generatedAt: new Date('2026-12-01T10:00:00.000Z'),
  version: '9.9.9',
  target: { buckets: [SRC_BUCKET], all: false },
  parameters: DEFAULT_PARAMETERS,
  results,
  snapshots,
  steps: [],
  salt: 'test-salt',
});

describe('the rule → hop mapping', () => {
  it('maps every catalog rule to a hop explicitly', () => {
    expect(rules.map((r) => r.id).filter((id) => !(id in RULE_HOPS))).toEqual([]);
    expect(Object.keys(RULE_HOPS).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  it('colours the bucket a two-sided rule speaks of, and the pair for rules it does not know', () => {
    expect(hopOf({ ruleId: 'tls_only_policy', destinationBucket: null })).toBe('source');
    expect(hopOf({ ruleId: 'tls_only_policy', destinationBucket: 'phi-dr' })).toBe('destination');
    expect(hopOf({ ruleId: 'kms_replica_key_configured', destinationBucket: 'phi-dr' })).toBe('keys');
    expect(hopOf({ ruleId: 'replication_operations_failing', destinationBucket: 'phi-dr' })).toBe('pair');
  });

  it.each([
    [['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN'], 'NON_COMPLIANT'],
    [['COMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE'], 'UNKNOWN'],
    [['NOT_APPLICABLE', 'COMPLIANT'], 'COMPLIANT'],
    [['NOT_APPLICABLE'], 'NOT_APPLICABLE'],
    [[], 'NOT_EVALUATED'],
  ] as const)('the worst of %j is %s', (statuses, worst) => {
    expect(worstStatus(statuses)).toBe(worst);
  });
});

describe('markup', () => {
  it('escapes every interpolated value, never the markup it made itself', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(h`<td title="${hostile}">${hostile}${h`<br>`}</td>`.html).toBe(
      `<td title="${escapeHtml(hostile)}">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;<br></td>`,
    );
  });
});

describe('buildReportModel and renderReport', () => {
  it('passes a healthy path: one pair, every hop COMPLIANT', () => {
    const snapshot = healthySnapshot();
    const model = buildReportModel(input([snapshot], evaluateSnapshot(snapshot)));
    expect(model.summary).toMatchObject({ verdict: 'PASS', pairs: 1, buckets: 1, steps: 0 });
    expect(model.pairs).toHaveLength(1);
    expect(model.pairs[0]).toMatchObject({ source: SRC_BUCKET, ruleId: RULE_ID, status: 'COMPLIANT' });
    expect(model.pairs[0]?.hops.map((x) => [x.hop, x.status])).toEqual([
      ['source', 'COMPLIANT'],
      ['role', 'COMPLIANT'],
      ['keys', 'COMPLIANT'],
      ['destination', 'COMPLIANT'],
    ]);
    expect(model.findings).toEqual([]);
    const html = renderReport(model);
    expect(html).toContain('Nothing fails and nothing is unknown.');
    expect(html).toContain('2026-12-01T10:00:00.000Z');
    expect(html).toContain('content="ReplGuard 9.9.9"');
  });

  it('says INCOMPLETE, not PASS, when nothing was scanned', () => {
    const model = buildReportModel(input([], []));
    expect(model.summary.verdict).toBe('INCOMPLETE');
    expect(renderReport(model)).toContain('No bucket was scanned.');
  });

  it('hashes every object key, whatever its shape, even with redaction switched off elsewhere', () => {
    const keys = ['patients/Jane Doe 1962.pdf', 'alias/looks-like-a-kms-alias', 'arn:aws:kms:not-a-key'];
    const failing: RuleResult = {
      ruleId: 'replication_operations_failing',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      bucket: SRC_BUCKET,
      destinationBucket: 'phi-dr',
      replicationRuleId: RULE_ID,
      message: `Replication of arn:aws:s3:::${SRC_BUCKET}/${keys[0]} failed (AssumeRoleNotPermitted).`,
      remediation: `Fix the role, then re-replicate ${keys[0]}.`,
      hipaa: ['164.308(a)(7)(ii)(A)'],
      accountId: SRC_ACCOUNT,
      region: 'us-east-1',
      details: { sampleObjectKeys: keys, objectKey: keys[1], failureReason: 'AssumeRoleNotPermitted' },
    };
    const previous = process.env.REPLGUARD_REDACTION;
    process.env.REPLGUARD_REDACTION = 'off';
    try {
      const html = renderReport(buildReportModel(input([healthySnapshot()], [failing])));
      for (const key of keys) {
        expect(html).not.toContain(escapeHtml(key));
        expect(html).toContain(hashObjectKey(key, 'test-salt'));
      }
      expect(html).toContain('AssumeRoleNotPermitted');
    } finally {
      if (previous === undefined) delete process.env.REPLGUARD_REDACTION;
      else process.env.REPLGUARD_REDACTION = previous;
    }
  });
});
