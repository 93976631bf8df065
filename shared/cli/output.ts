import type { FixStep } from '../model/fix.js';
import type { RuleResult } from '../rules/types.js';

/** One result in the JSON contract; `fix` carries its steps in full (each with the resource it changes). */
export const resultJson = (r: RuleResult, steps: readonly FixStep[] = []): Record<string, unknown> => ({
  ruleId: r.ruleId,
  status: r.status,
  severity: r.severity,
  bucket: r.bucket,
  destinationBucket: r.destinationBucket,
  replicationRuleId: r.replicationRuleId,
  message: r.message,
  remediation: r.remediation,
  hipaa: r.hipaa,
  accountId: r.accountId,
  region: r.region,
  ...(r.destinationAccountId ? { destinationAccountId: r.destinationAccountId } : {}),
  ...(r.details ? { details: r.details } : {}),
  ...(r.exception ? { exception: r.exception } : {}),
  ...(r.fix
    ? {
        fix: {
          proven: r.fix.proven,
          steps: r.fix.steps.flatMap((n) => {
            const s = steps[n - 1];
            return s
              ? [
                  {
                    step: s.step,
                    resource: s.resource,
                    resourceType: s.resourceType,
                    resourceArn: s.resourceArn,
                    accountId: s.accountId,
                    region: s.region,
                    command: s.command,
                  },
                ]
              : [];
          }),
          ...(r.fix.decision ? { decision: r.fix.decision } : {}),
        },
      }
    : {}),
});

/** The JSON contract (version 1): later work adds fields, never removes or renames them. */
export const toJsonReport = (
  results: readonly RuleResult[],
  extra: Record<string, unknown> = {},
  steps: readonly FixStep[] = [],
): string =>
  JSON.stringify({ version: 1, results: results.map((r) => resultJson(r, steps)), ...extra }, null, 2);

const STATUS_MARK: Record<string, string> = {
  COMPLIANT: 'ok',
  NON_COMPLIANT: 'FAIL',
  UNKNOWN: '??',
  NOT_APPLICABLE: '-',
};

const pad = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** "  risk accepted until 2027-03-31 by jane (…)" / "  risk exception EXPIRED on …". */
const exceptionLine = (r: RuleResult): string =>
  r.exception
    ? r.exception.status === 'active'
      ? `\n  risk accepted until ${r.exception.expires} by ${r.exception.owner}: ${r.exception.justification}`
      : `\n  risk exception EXPIRED on ${r.exception.expires} (owner ${r.exception.owner}): this finding pages again`
    : '';

/** A plain-text table for terminals: one line per result, then the failures' messages and fixes. */
export const toTable = (results: readonly RuleResult[]): string => {
  const header = `${pad('STATUS', 6)} ${pad('SEVERITY', 8)} ${pad('RULE', 34)} ${pad('BUCKET', 24)} ${pad('DESTINATION', 24)} RULE ID`;
  const lines = results.map(
    (r) =>
      `${pad(STATUS_MARK[r.status] ?? r.status, 6)} ${pad(r.severity, 8)} ${pad(r.ruleId, 34)} ${pad(r.bucket, 24)} ${pad(r.destinationBucket ?? '', 24)} ${r.replicationRuleId ?? ''}`,
  );
  const failing = results.filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN');
  const detail = failing.map(
    (r) =>
      `\n[${r.status} ${r.severity}] ${r.ruleId} (${r.bucket}${r.destinationBucket ? ` → ${r.destinationBucket}` : ''})\n  why: ${r.message}\n  fix: ${r.remediation}\n  HIPAA: ${r.hipaa.join(', ')}${exceptionLine(r)}`,
  );
  const counts = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE']
    .map((s) => `${results.filter((r) => r.status === s).length} ${s}`)
    .join(', ');
  return [header, ...lines, ...detail, '', `Summary: ${counts}`].join('\n');
};
