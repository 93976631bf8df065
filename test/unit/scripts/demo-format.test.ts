/** The demo's findings: one cause that explains many results is said once, with the rules it affects. */
import { describe, expect, it } from 'vitest';
import { findingLines, styleFor } from '../../../scripts/demo/format.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { failing } from '../publish/fixtures.js';

const ASSUME = 'Could not assume arn:aws:iam::444455556666:role/ReplGuardReadOnly (AccessDenied)';
const DEPLOY =
  'Deploy arn:aws:iam::444455556666:role/ReplGuardReadOnly in account 444455556666 with infra/member-account.yml.';
const unknown = (ruleId: string, what: string, severity: RuleResult['severity'] = 'CRITICAL') =>
  failing({
    ruleId,
    severity,
    status: 'UNKNOWN',
    message: `Could not read ${what} of phi-dr: ${ASSUME}.`,
    remediation: DEPLOY,
  });

describe('findingLines', () => {
  const plain = styleFor(false);

  it('says a shared cause once: what could not be read, the rules it affects, the fix', () => {
    const lines = findingLines(
      [
        unknown('versioning_destination_enabled', 'the versioning'),
        unknown('destination_policy_allows_role', 'the bucket policy'),
        unknown('kms_replica_key_configured', 'the replica key', 'HIGH'),
        unknown('encryption_at_rest_kms', 'the encryption', 'HIGH'),
        unknown('tls_only_policy', 'the bucket policy', 'HIGH'),
      ],
      plain,
    );
    expect(lines).toEqual([
      `  UNKNOWN        CRITICAL  Could not read: ${ASSUME}`,
      '      affects 5 results: versioning_destination_enabled, destination_policy_allows_role, kms_replica_key_configured, encryption_at_rest_kms and 1 more (phi-prod → phi-dr)',
      `      fix: ${DEPLOY}`,
    ]);
  });

  it('keeps one failure to three lines, most severe first', () => {
    const lines = findingLines(
      [
        failing({
          ruleId: 'replication_time_control',
          severity: 'MEDIUM',
          message: 'No RTC.',
          remediation: 'Enable RTC.',
        }),
        failing(),
      ],
      plain,
    );
    expect(lines[0]).toBe('  NON_COMPLIANT  CRITICAL  versioning_destination_enabled');
    expect(lines[3]).toBe('  NON_COMPLIANT  MEDIUM    replication_time_control');
    expect(lines).toHaveLength(6);
  });
});
