import { describe, expect, it } from 'vitest';
import { ConfigLimits, toConfigEvaluation } from '../../../shared/publish/configEvaluations.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { failing } from './fixtures.js';

const AT = new Date('2025-03-02T12:00:00.000Z');
const evaluate = (results: RuleResult[], inScope = true) =>
  toConfigEvaluation('phi-prod', results, { orderingTimestamp: AT, inScope });

const ok = (ruleId: string): RuleResult => failing({ ruleId, status: 'COMPLIANT', remediation: '' });

describe('toConfigEvaluation', () => {
  it('is one AWS::S3::Bucket evaluation named by the bucket, at the capture time', () => {
    expect(evaluate([ok('versioning_source_enabled')])).toMatchObject({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'phi-prod',
      OrderingTimestamp: AT,
    });
  });

  it.each<[string, RuleResult[], boolean, string]>([
    ['everything passes', [ok('a'), failing({ status: 'NOT_APPLICABLE' })], true, 'COMPLIANT'],
    ['one rule fails', [ok('a'), failing()], true, 'NON_COMPLIANT'],
    ['one rule is UNKNOWN (fail closed)', [ok('a'), failing({ status: 'UNKNOWN' })], true, 'NON_COMPLIANT'],
    ['no results for an in-scope bucket (fail closed)', [], true, 'NON_COMPLIANT'],
    ['out of scope', [failing()], false, 'NOT_APPLICABLE'],
    ['only other buckets fail', [ok('a'), failing({ bucket: 'phi-lab' })], true, 'COMPLIANT'],
  ])('%s → %s', (_case, results, inScope, expected) => {
    expect(evaluate(results, inScope).ComplianceType).toBe(expected);
  });

  it('names the most severe failing rules first, then the first fix', () => {
    const e = evaluate([
      failing({ ruleId: 'replication_time_control', severity: 'MEDIUM', remediation: 'Enable RTC.' }),
      failing({
        ruleId: 'kms_replica_key_configured',
        severity: 'CRITICAL',
        status: 'UNKNOWN',
        remediation: 'Grant kms:DescribeKey.',
      }),
      failing({
        ruleId: 'versioning_destination_enabled',
        severity: 'CRITICAL',
        remediation: 'Enable versioning on phi-dr.',
      }),
    ]);
    expect(e.Annotation).toBe(
      'Failing: versioning_destination_enabled, kms_replica_key_configured, replication_time_control (UNKNOWN counts as failing: fail closed). Fix first: Enable versioning on phi-dr.',
    );
  });

  it('says "+N more" beyond three rules', () => {
    const e = evaluate(['r1', 'r2', 'r3', 'r4', 'r5'].map((ruleId) => failing({ ruleId, remediation: 'x' })));
    expect(e.Annotation).toMatch(/^Failing: r1, r2, r3 \+2 more\./);
  });

  it.each<[string, string]>([
    ['ASCII', 'x'.repeat(1000)],
    ['two-byte characters', 'é'.repeat(1000)],
    ['three-byte characters', '患者'.repeat(500)],
    ['emoji (surrogate pairs)', '🩻'.repeat(500)],
  ])(
    'cuts a long annotation to 256 characters and bytes without splitting a character (%s)',
    (_case, fix) => {
      const annotation = evaluate([failing({ remediation: fix })]).Annotation ?? '';
      expect(annotation.length).toBeLessThanOrEqual(ConfigLimits.annotation);
      expect(Buffer.byteLength(annotation, 'utf8')).toBeLessThanOrEqual(ConfigLimits.annotation);
      expect(annotation).not.toMatch(/\uFFFD/);
      expect(Buffer.from(annotation, 'utf8').toString('utf8')).toBe(annotation);
      expect(annotation.endsWith('…')).toBe(true);
    },
  );
});
