import type { FixStep } from '../model/fix.js';
import { type RuleResult, SEVERITY_ORDER } from '../rules/types.js';
import { type CauseGroup, groupByCause } from './causes.js';

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

/** Terminal styles: ANSI when colour is on, the text as it is otherwise. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

export const styleFor = (color: boolean): Style =>
  color
    ? { bold: ansi(1), dim: ansi(2), red: ansi(31), yellow: ansi(33), green: ansi(32) }
    : { bold: plain, dim: plain, red: plain, yellow: plain, green: plain };

export interface TableOptions {
  /** ANSI colour (a terminal, no NO_COLOR, no --no-color). */
  readonly color?: boolean;
  /** Rows only for NON_COMPLIANT and UNKNOWN results (the summary still counts every result). */
  readonly quiet?: boolean;
}

const STATUS_MARK: Record<string, string> = {
  COMPLIANT: 'ok',
  NON_COMPLIANT: 'FAIL',
  UNKNOWN: '??',
  NOT_APPLICABLE: '-',
};

const markStyle = (status: string, style: Style): ((text: string) => string) =>
  status === 'NON_COMPLIANT'
    ? style.red
    : status === 'UNKNOWN'
      ? style.yellow
      : status === 'COMPLIANT'
        ? style.green
        : style.dim;

const isFailingStatus = (r: RuleResult) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN';

/** "phi-prod → phi-dr, rule r1" / "phi-prod". */
const pathOf = (r: RuleResult): string =>
  `${r.bucket}${r.destinationBucket ? ` → ${r.destinationBucket}` : ''}${r.replicationRuleId ? `, rule ${r.replicationRuleId}` : ''}`;

/** " (risk accepted until 2027-03-31 by jane: …)" / " (risk exception EXPIRED on …)". */
const exceptionNote = (r: RuleResult): string =>
  r.exception
    ? r.exception.status === 'active'
      ? `risk accepted until ${r.exception.expires} by ${r.exception.owner}: ${r.exception.justification}`
      : `risk exception EXPIRED on ${r.exception.expires} (owner ${r.exception.owner}): this finding pages again`
    : '';

/** Columns as wide as their widest cell: bucket names and rule ids are never cut. */
const columns = (rows: readonly (readonly string[])[]): number[] =>
  (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));

const severityRank = (r: RuleResult) => SEVERITY_ORDER.indexOf(r.severity);

/** One failing result: status and severity, rule and path; why; fix; HIPAA; a risk exception when there is one. */
const singleCause = (group: CauseGroup, style: Style): string[] => {
  const r = group.results[0] as RuleResult;
  const note = exceptionNote(r);
  return [
    `${markStyle(r.status, style)(`[${r.status} ${r.severity}]`)} ${style.bold(r.ruleId)} (${pathOf(r)})`,
    `  why: ${r.message}`,
    `  fix: ${r.remediation}`,
    `  HIPAA: ${r.hipaa.join(', ')}`,
    ...(note ? [`  ${note}`] : []),
  ];
};

/**
 * One cause explaining many results: said once with its fix, then the rules it affects, one line each (with
 * their replication path; the source and destination are said once when they all share them).
 */
const sharedCause = (group: CauseGroup, style: Style): string[] => {
  const pairOf = (r: RuleResult) => `${r.bucket}${r.destinationBucket ? ` → ${r.destinationBucket}` : ''}`;
  const pairs = new Set(group.results.map(pairOf));
  const one = pairs.size === 1 ? ` (${[...pairs][0]})` : '';
  const rows = group.results.map((r) => [
    r.severity,
    r.ruleId,
    one ? (r.replicationRuleId ? `rule ${r.replicationRuleId}` : '') : pathOf(r),
  ]);
  const width = columns(rows);
  const hipaa = [...new Set(group.results.flatMap((r) => r.hipaa))];
  return [
    `${markStyle(group.status, style)(`[${group.status}]`)} ${style.bold(group.cause)}`,
    `  fix: ${group.fix}`,
    `  affects ${group.results.length} rules${one}:`,
    ...group.results.map((r, i) => {
      const [severity, rule, path] = rows[i] as string[];
      const note = exceptionNote(r);
      const line = `    ${(severity as string).padEnd(width[0] ?? 0)}  ${(rule as string).padEnd(width[1] ?? 0)}  ${path}`;
      return `${line.trimEnd()}${note ? ` (${note})` : ''}`;
    }),
    `  HIPAA: ${hipaa.join(', ')}`,
  ];
};

/**
 * A plain-text table for terminals: one row per result (columns as wide as their content), then the failures
 * grouped by cause (`groupByCause`: what could not be read is said once, with its fix, then the rules it
 * affects), most severe first, and a summary line.
 */
export const toTable = (results: readonly RuleResult[], options: TableOptions = {}): string => {
  const style = styleFor(options.color === true);
  const shown = options.quiet ? results.filter(isFailingStatus) : results;
  const header = ['STATUS', 'SEVERITY', 'RULE', 'BUCKET', 'DESTINATION', 'REPLICATION RULE'];
  const cells = shown.map((r) => [
    STATUS_MARK[r.status] ?? r.status,
    r.severity,
    r.ruleId,
    r.bucket,
    r.destinationBucket ?? '',
    r.replicationRuleId ?? '',
  ]);
  const width = columns([header, ...cells]);
  const line = (row: readonly string[], status?: string) =>
    row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell.padEnd(width[i] ?? 0);
        return i === 0 && status ? markStyle(status, style)(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const rows = cells.map((row, i) => line(row, shown[i]?.status));
  const groups = groupByCause(results).sort(
    (a, b) => Math.min(...a.results.map(severityRank)) - Math.min(...b.results.map(severityRank)),
  );
  const detail = groups.flatMap((g) => [
    '',
    ...(g.results.length > 1 ? sharedCause(g, style) : singleCause(g, style)),
  ]);
  const counts = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE']
    .map((s) => `${results.filter((r) => r.status === s).length} ${s}`)
    .join(', ');
  const causes = groups.length > 0 ? ` (${groups.length} cause${groups.length === 1 ? '' : 's'})` : '';
  return [
    style.bold(line(header)),
    ...(rows.length > 0 ? rows : [style.dim(options.quiet ? '(no failing results)' : '(no results)')]),
    ...detail,
    '',
    `Summary: ${counts}${causes}`,
  ].join('\n');
};
