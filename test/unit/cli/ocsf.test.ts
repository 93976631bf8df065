/** OCSF 1.5.0 Compliance Findings: valid against the OCSF schema, the verdict in `compliance`, keys hashed. */
import { describe, expect, it } from 'vitest';
import { toOcsf, toOcsfFinding } from '../../../shared/cli/ocsf.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { VERSION } from '../../../shared/version.js';
import { conforms } from '../../fixtures/contracts/index.js';
import { failing, RAW_KEYS, runtimeFailure } from '../publish/fixtures.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const finding = (r: RuleResult) => toOcsfFinding(r, { now: NOW, redactObjectKeys: true });

describe('toOcsf', () => {
  it.each<[string, RuleResult]>([
    ['a failing result', failing()],
    ['an unknown result', failing({ status: 'UNKNOWN' })],
    ['a compliant result', failing({ status: 'COMPLIANT', remediation: '' })],
    ['a result that does not apply', failing({ status: 'NOT_APPLICABLE', destinationBucket: null })],
    ['a runtime finding with keys and a KMS key', runtimeFailure()],
    [
      'a result under a risk exception',
      failing({ exception: { status: 'active', justification: 'j', owner: 'o', expires: '2027-01-01' } }),
    ],
  ])('%s conforms to the OCSF 1.5.0 Compliance Finding schema (cloud profile)', (_, result) => {
    expect(conforms('ocsf-1.5.0-compliance-finding', finding(result))).toEqual([]);
  });

  it('the schema check has teeth: an attribute OCSF does not define is refused', () => {
    expect(conforms('ocsf-1.5.0-compliance-finding', { ...finding(failing()), replguard: {} })).not.toEqual(
      [],
    );
  });

  it('is a Compliance Finding (2003) of category Findings, created now', () => {
    expect(finding(failing())).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200301,
      time: NOW.getTime(),
      severity_id: 5,
      severity: 'Critical',
      status_id: 1,
      status: 'New',
      metadata: {
        version: '1.5.0',
        profiles: ['cloud'],
        product: { name: 'ReplGuard', vendor_name: 'ReplGuard', version: VERSION },
      },
    });
  });

  it('carries the verdict in compliance: HIPAA, the citations, the rule as control', () => {
    expect(finding(failing()).compliance).toEqual({
      standards: ['HIPAA'],
      requirements: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)'],
      control: 'versioning_destination_enabled',
      desc: 'Replication destinations keep versioning enabled',
      status: 'Fail',
      status_id: 3,
      status_code: 'NON_COMPLIANT',
      status_detail: failing().message,
    });
    expect(finding(failing({ status: 'COMPLIANT' })).compliance).toMatchObject({
      status: 'Pass',
      status_id: 1,
    });
    expect(finding(failing({ status: 'UNKNOWN' })).compliance).toMatchObject({
      status: 'Warning',
      status_id: 2,
    });
  });

  it('names the finding by ReplGuard’s finding id, and the buckets, account and Region it is about', () => {
    const f = finding(failing());
    expect(f.finding_info).toMatchObject({
      uid: findingIdOf(failing()),
      title: 'Replication destinations keep versioning enabled (phi-prod -> phi-dr, rule phi-to-dr)',
      desc: failing().message,
    });
    expect(f.cloud).toEqual({
      provider: 'AWS',
      region: 'us-east-1',
      account: { uid: '111111111111', type: 'AWS Account', type_id: 10 },
    });
    expect(f.resources).toEqual([
      expect.objectContaining({
        uid: 'arn:aws:s3:::phi-prod',
        type: 'AwsS3Bucket',
        region: 'us-east-1',
        labels: ['source'],
      }),
      expect.objectContaining({ uid: 'arn:aws:s3:::phi-dr', type: 'AwsS3Bucket', labels: ['destination'] }),
    ]);
    expect(f.remediation).toEqual({
      desc: failing().remediation,
      references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html'],
    });
  });

  it('is Suppressed under an active risk exception', () => {
    const f = finding(
      failing({ exception: { status: 'active', justification: 'j', owner: 'o', expires: '2027-01-01' } }),
    );
    expect(f).toMatchObject({ status_id: 3, status: 'Suppressed' });
  });

  it('hashes object keys, as every output leaving ReplGuard does', () => {
    const text = JSON.stringify(finding(runtimeFailure()));
    for (const key of RAW_KEYS) expect(text).not.toContain(key);
    expect(text).toMatch(/sha256:[0-9a-f]{16}/);
  });

  it('gives one finding per result, all with the same time', () => {
    const all = toOcsf([failing(), failing({ bucket: 'phi-archive' })], { now: NOW });
    expect(all.map((f) => f.time)).toEqual([NOW.getTime(), NOW.getTime()]);
  });
});
