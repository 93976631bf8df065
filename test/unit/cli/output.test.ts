/** The table a person reads: every result on one row, names never cut, failures grouped by cause. */
import { describe, expect, it } from 'vitest';
import { toTable } from '../../../shared/cli/output.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { failing } from '../publish/fixtures.js';

const LONG = 'phi-records-production-us-east-1-replicated-to-dr-account-0001';
const ASSUME = 'Could not assume arn:aws:iam::444455556666:role/ReplGuardReadOnly (AccessDenied)';
const DEPLOY =
  'Deploy arn:aws:iam::444455556666:role/ReplGuardReadOnly in account 444455556666 with infra/member-account.yml';

const unreadable = (ruleId: string, what: string, severity: RuleResult['severity'] = 'CRITICAL') =>
  failing({
    ruleId,
    severity,
    status: 'UNKNOWN',
    message: `Could not read ${what} of phi-dr: ${ASSUME}.`,
    remediation: DEPLOY,
    hipaa: ['164.308(a)(7)(ii)(A)'],
  });

const results: RuleResult[] = [
  failing({
    ruleId: 'versioning_source_enabled',
    status: 'COMPLIANT',
    bucket: LONG,
    message: 'ok',
    remediation: '',
  }),
  failing({ bucket: LONG }),
  unreadable('versioning_destination_enabled', 'the versioning'),
  unreadable('destination_policy_allows_role', 'the bucket policy'),
  unreadable('kms_replica_key_configured', 'the replica key', 'HIGH'),
  failing({ ruleId: 'replication_time_control', status: 'NOT_APPLICABLE', message: 'n/a', remediation: '' }),
];

describe('toTable', () => {
  const table = toTable(results);
  const lines = table.split('\n');

  it('never cuts a bucket name: columns are as wide as their content', () => {
    expect(table).toContain(LONG);
    expect(table).not.toContain('…');
    const header = lines[0] ?? '';
    expect(header).toMatch(/^STATUS {2}SEVERITY {2}RULE +BUCKET +DESTINATION +REPLICATION RULE$/);
    const row = lines.find((l) => l.includes(LONG) && l.startsWith('FAIL')) ?? '';
    expect(row.indexOf(LONG)).toBe(header.indexOf('BUCKET'));
    expect(row.indexOf('phi-dr')).toBe(header.indexOf('DESTINATION'));
  });

  it('says a shared cause once, with its fix, then the rules it affects', () => {
    expect(table.split(DEPLOY)).toHaveLength(2);
    expect(table).toContain(
      [
        `[UNKNOWN] Could not read: ${ASSUME}`,
        `  fix: ${DEPLOY}`,
        '  affects 3 rules (phi-prod → phi-dr):',
        '    CRITICAL  versioning_destination_enabled  rule phi-to-dr',
        '    CRITICAL  destination_policy_allows_role  rule phi-to-dr',
        '    HIGH      kms_replica_key_configured      rule phi-to-dr',
        '  HIPAA: 164.308(a)(7)(ii)(A)',
      ].join('\n'),
    );
  });

  it('names the path of each affected rule when they do not share one', () => {
    const other = { ...unreadable('tls_only_policy', 'the bucket policy'), bucket: 'phi-lab' };
    const text = toTable([unreadable('versioning_destination_enabled', 'the versioning'), other]);
    expect(text).toContain(
      '  affects 2 rules:\n    CRITICAL  versioning_destination_enabled  phi-prod → phi-dr, rule phi-to-dr\n',
    );
    expect(text).toContain(
      '    CRITICAL  tls_only_policy                 phi-lab → phi-dr, rule phi-to-dr\n',
    );
  });

  it('gives a single failure its why, fix and HIPAA citations', () => {
    const f = failing({ bucket: LONG });
    expect(table).toContain(
      [
        `[NON_COMPLIANT CRITICAL] versioning_destination_enabled (${LONG} → phi-dr, rule phi-to-dr)`,
        `  why: ${f.message}`,
        `  fix: ${f.remediation}`,
        '  HIPAA: 164.308(a)(7)(ii)(A), 164.312(c)(1)',
      ].join('\n'),
    );
  });

  it('ends with the counts of every status and of the causes', () => {
    expect(lines.at(-1)).toBe(
      'Summary: 1 COMPLIANT, 1 NON_COMPLIANT, 3 UNKNOWN, 1 NOT_APPLICABLE (2 causes)',
    );
  });

  it('with quiet, lists only NON_COMPLIANT and UNKNOWN rows (the summary still counts everything)', () => {
    const quiet = toTable(results, { quiet: true }).split('\n');
    const rows = quiet.slice(1, quiet.indexOf(''));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['FAIL', '??', '??', '??']);
    expect(quiet.at(-1)).toMatch(/^Summary: 1 COMPLIANT/);
    expect(toTable([results[0] as RuleResult], { quiet: true })).toContain('(no failing results)');
  });

  it('shows a risk accepted for a result beside it', () => {
    const accepted = failing({
      exception: {
        status: 'active',
        justification: 'DR copy moves in Q3',
        owner: 'jane',
        expires: '2027-03-31',
      },
    });
    expect(toTable([accepted])).toContain('  risk accepted until 2027-03-31 by jane: DR copy moves in Q3');
  });

  it('is plain text unless colour is asked for, and then colours the status', () => {
    expect(table).not.toContain('\x1b[');
    const coloured = toTable(results, { color: true });
    expect(coloured).toContain('\x1b[31mFAIL');
    expect(coloured).toContain('\x1b[33m[UNKNOWN]\x1b[0m');
    expect(coloured.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')).toBe(table);
  });
});
