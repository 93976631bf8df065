import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { classify } from '../../../shared/findings/lifecycle.js';
import { AsffLimits, HIPAA_TYPE, toAsff, type AsffInput } from '../../../shared/publish/asff.js';
import { previousFromAsff, resultFromAsff } from '../../../shared/publish/asffState.js';
import { productArn } from '../../../shared/publish/links.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { VERSION } from '../../../shared/version.js';
import { failing, runtimeFailure } from './fixtures.js';

const PRODUCT = productArn('us-east-1', '111111111111');
const NOW = '2025-03-02T12:00:00.000Z';

const asff = (result: RuleResult, extra: Partial<AsffInput> = {}) =>
  toAsff({ id: findingIdOf(result), result, productArn: PRODUCT, updatedAt: NOW, ...extra });

describe('toAsff', () => {
  it('fills every required and expected ASFF field for a failing result', () => {
    const f = asff(failing(), { regionOf: (b) => (b === 'phi-dr' ? 'us-west-2' : undefined) });
    expect(f).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: findingIdOf(failing()),
      ProductArn: 'arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default',
      GeneratorId: 'replguard/versioning_destination_enabled',
      AwsAccountId: '111111111111',
      Types: [HIPAA_TYPE],
      CreatedAt: NOW,
      UpdatedAt: NOW,
      FirstObservedAt: NOW,
      LastObservedAt: NOW,
      Severity: { Label: 'CRITICAL', Original: 'CRITICAL' },
      Title: 'Replication destinations keep versioning enabled (phi-prod -> phi-dr, rule phi-to-dr)',
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: ['HIPAA 164.308(a)(7)(ii)(A)', 'HIPAA 164.312(c)(1)'],
      },
      FindingProviderFields: { Severity: { Label: 'CRITICAL', Original: 'CRITICAL' }, Types: [HIPAA_TYPE] },
      RecordState: 'ACTIVE',
      Resources: [
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::phi-prod', Partition: 'aws', Region: 'us-east-1' },
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::phi-dr', Partition: 'aws', Region: 'us-west-2' },
      ],
    });
    expect(f.Description).toBe(failing().message);
    expect(f.Remediation?.Recommendation?.Text).toBe(failing().remediation);
    expect(f.Remediation?.Recommendation?.Url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(f.ProductFields).toMatchObject({
      'replguard/version': VERSION,
      'replguard/ruleId': 'versioning_destination_enabled',
      'replguard/bucket': 'phi-prod',
      'replguard/destination': 'phi-dr',
      'replguard/replicationRule': 'phi-to-dr',
      'replguard/status': 'NON_COMPLIANT',
      'replguard/severity': 'CRITICAL',
    });
  });

  it('keeps CreatedAt and FirstObservedAt from the previous import', () => {
    const prev = {
      id: 'x',
      state: 'ACTIVE' as const,
      suppressed: false,
      createdAt: '2025-01-01T00:00:00.000Z',
      firstObservedAt: '2025-01-01T00:00:00.000Z',
    };
    expect(asff(failing(), { previous: prev })).toMatchObject({
      CreatedAt: '2025-01-01T00:00:00.000Z',
      FirstObservedAt: '2025-01-01T00:00:00.000Z',
      UpdatedAt: NOW,
    });
  });

  it.each<[RuleResult['status'], string, string, string]>([
    ['NON_COMPLIANT', 'FAILED', 'ACTIVE', 'CRITICAL'],
    ['UNKNOWN', 'WARNING', 'ACTIVE', 'CRITICAL'],
    ['COMPLIANT', 'PASSED', 'ARCHIVED', 'INFORMATIONAL'],
    ['NOT_APPLICABLE', 'PASSED', 'ARCHIVED', 'INFORMATIONAL'],
  ])('%s → Compliance %s, RecordState %s, severity %s', (status, compliance, record, label) => {
    const f = asff(failing({ status }));
    expect(f.Compliance?.Status).toBe(compliance);
    expect(f.RecordState).toBe(record);
    expect(f.Severity).toEqual({ Label: label, Original: 'CRITICAL' });
  });

  it('says UNKNOWN is reported as failing (fail closed)', () => {
    expect(
      asff(failing({ status: 'UNKNOWN', message: 'Could not read the versioning status of phi-dr.' }))
        .Description,
    ).toBe(
      'Could not read the versioning status of phi-dr. ReplGuard could not verify this rule and reports it as failing (fail closed).',
    );
  });

  it('shows runtime counts in Description and ProductFields, observation times from the events, and the KMS key', () => {
    const f = asff(
      runtimeFailure({
        details: {
          count: 42,
          firstSeen: '2025-03-01T10:00:00Z',
          lastSeen: '2025-03-01T10:14:00Z',
          failureReason: 'DstKmsKeyInvalidState',
        },
      }),
    );
    expect(f.Description).toContain(
      'Details: count=42; firstSeen=2025-03-01T10:00:00Z; lastSeen=2025-03-01T10:14:00Z; failureReason=DstKmsKeyInvalidState.',
    );
    expect(f.ProductFields).toMatchObject({
      'replguard/details/count': '42',
      'replguard/details/failureReason': 'DstKmsKeyInvalidState',
    });
    expect(f.FirstObservedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(f.LastObservedAt).toBe('2025-03-01T10:14:00.000Z');
    expect(f.Resources?.map((r) => [r.Type, r.Region])).toContainEqual(['AwsKmsKey', 'us-west-2']);
  });

  it('respects ASFF limits for long text and many details', () => {
    const details = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`d${i}`, 'x'.repeat(5000)]));
    const f = asff(failing({ message: 'm'.repeat(5000), remediation: 'r'.repeat(5000), details }));
    expect(f.Description?.length).toBeLessThanOrEqual(AsffLimits.description);
    expect(f.Remediation?.Recommendation?.Text?.length).toBeLessThanOrEqual(AsffLimits.recommendationText);
    expect(Object.keys(f.ProductFields ?? {}).length).toBeLessThanOrEqual(AsffLimits.productFields);
    for (const v of Object.values(f.ProductFields ?? {}))
      expect(v.length).toBeLessThanOrEqual(AsffLimits.productFieldValue);
    expect(f.Title?.length).toBeLessThanOrEqual(AsffLimits.title);
  });
});

describe('previousFromAsff', () => {
  it('reads back the state a finding was imported with, so the same result is unchanged', () => {
    const prev = previousFromAsff(asff(failing()));
    expect(prev).toMatchObject({
      state: 'ACTIVE',
      status: 'NON_COMPLIANT',
      severity: 'CRITICAL',
      bucket: 'phi-prod',
      suppressed: false,
    });
    expect(classify(failing(), prev)).toBe('unchanged');
    expect(classify(failing({ severity: 'HIGH' }), prev)).toBe('changed');
  });

  it('sees a resolved finding as RESOLVED, and keeps the rule severity rather than INFORMATIONAL', () => {
    expect(previousFromAsff(asff(failing({ status: 'COMPLIANT' })))).toMatchObject({
      state: 'RESOLVED',
      severity: 'CRITICAL',
    });
  });

  it('notices a finding suppressed in Security Hub', () => {
    expect(previousFromAsff({ ...asff(failing()), Workflow: { Status: 'SUPPRESSED' } })?.suppressed).toBe(
      true,
    );
  });
});

describe('resultFromAsff', () => {
  it('rebuilds a NOT_APPLICABLE result for a finding that is no longer reported, with its identity intact', () => {
    const stored = asff(runtimeFailure());
    const result = resultFromAsff(stored, 'the replication rule is gone');
    expect(findingIdOf(result)).toBe(stored.Id);
    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      severity: 'CRITICAL',
      bucket: 'phi-prod',
      destinationBucket: 'phi-dr',
      replicationRuleId: 'phi-to-dr',
      hipaa: ['164.308(a)(7)(ii)(A)'],
      resources: [
        {
          type: 'AwsKmsKey',
          id: 'arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      ],
    });
    expect(result.message).toContain('no longer reported (the replication rule is gone)');
  });
});
