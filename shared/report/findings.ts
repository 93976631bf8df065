/**
 * The findings (grouped by cause, shared/cli/causes.ts, each with the plan's steps that fix it) and the HIPAA
 * matrix (citation × rule × status) of the report.
 */
import { groupByCause } from '../cli/causes.js';
import type { FixStep } from '../model/fix.js';
import { type RuleResult, SEVERITY_ORDER, type Severity, type Status } from '../model/result.js';
import { rules } from '../rules/index.js';
import { worstStatus } from './hops.js';
import type { Affected, Fact, Finding, MatrixCell, MatrixRow } from './model.js';

/** The HIPAA Security Rule safeguards (45 CFR Part 164) the catalog cites, in regulation order. */
export const SAFEGUARDS: Readonly<Record<string, string>> = {
  '164.308(a)(6)(ii)': 'Security incident procedures: response and reporting',
  '164.308(a)(7)(ii)(A)': 'Contingency plan: data backup plan',
  '164.308(a)(7)(ii)(B)': 'Contingency plan: disaster recovery plan',
  '164.308(a)(7)(ii)(D)': 'Contingency plan: testing and revision procedures',
  '164.312(a)(1)': 'Access control',
  '164.312(a)(2)(iv)': 'Access control: encryption and decryption',
  '164.312(b)': 'Audit controls',
  '164.312(c)(1)': 'Integrity',
  '164.312(e)(1)': 'Transmission security',
};

const STATUSES: readonly Status[] = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE'];

export const countByStatus = (results: readonly RuleResult[]): Record<Status, number> =>
  Object.fromEntries(STATUSES.map((s) => [s, results.filter((r) => r.status === s).length])) as Record<
    Status,
    number
  >;

const mostSevere = (severities: readonly Severity[]): Severity =>
  SEVERITY_ORDER.find((s) => severities.includes(s)) ?? 'INFORMATIONAL';

const pathOf = (r: RuleResult): string =>
  `${r.bucket}${r.destinationBucket ? ` → ${r.destinationBucket}` : ''}${
    r.replicationRuleId ? ` (rule ${r.replicationRuleId})` : ''
  }`;

/**
 * The rule's own words without the commands `withFixes` (shared/fix/attach.ts) appended: the report prints
 * the steps themselves, each command in full.
 */
const proseOf = (r: RuleResult): string => {
  const at = Math.max(
    r.remediation.lastIndexOf(' Fix (step'),
    r.remediation.lastIndexOf(' Needs a decision: '),
  );
  return r.fix && at > 0 ? r.remediation.slice(0, at) : r.remediation;
};

/** Scalar details (and lists of them) worth showing; permission-chain verdicts are in the message already. */
const factsOf = (results: readonly RuleResult[]): Fact[] => {
  const seen = new Map<string, Fact>();
  for (const r of results)
    for (const [label, value] of Object.entries(r.details ?? {})) {
      const shown = Array.isArray(value)
        ? value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
          ? value.join(', ')
          : undefined
        : ['string', 'number', 'boolean'].includes(typeof value)
          ? String(value)
          : undefined;
      if (shown !== undefined && shown !== '') seen.set(`${label}=${shown}`, { label, value: shown });
    }
  return [...seen.values()];
};

const affected = (r: RuleResult): Affected => {
  const rule = rules.find((x) => x.id === r.ruleId);
  const e = r.exception;
  return {
    ruleId: r.ruleId,
    title: rule?.title ?? r.ruleId,
    severity: r.severity,
    path: pathOf(r),
    message: r.message,
    docs: rule?.remediation.url ?? '',
    ...(e
      ? {
          exception: `Risk accepted by ${e.owner} until ${e.expires} (${e.status}): ${e.justification}`,
        }
      : {}),
  };
};

const RANK: readonly Status[] = ['NON_COMPLIANT', 'UNKNOWN'];

/** The failing and unknown results grouped by cause, failures first, then by severity. */
export const findingsOf = (results: readonly RuleResult[], steps: readonly FixStep[]): Finding[] =>
  groupByCause(results)
    .map((g): Finding => {
      const first = g.results[0] as RuleResult;
      const numbers = [...new Set(g.results.flatMap((r) => (r.fix?.proven ? r.fix.steps : [])))];
      return {
        status: g.status,
        severity: mostSevere(g.results.map((r) => r.severity)),
        cause: g.cause,
        fix: proseOf(first),
        steps: steps.filter((s) => numbers.includes(s.step)),
        decisions: [...new Set(g.results.flatMap((r) => (r.fix?.decision ? [r.fix.decision] : [])))],
        facts: factsOf(g.results),
        affected: g.results.map(affected),
      };
    })
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        RANK.indexOf(a.f.status) - RANK.indexOf(b.f.status) ||
        SEVERITY_ORDER.indexOf(a.f.severity) - SEVERITY_ORDER.indexOf(b.f.severity) ||
        a.i - b.i,
    )
    .map(({ f }) => f);

/** Citation × rule × status: every citation the catalog (or a result) names, with the rules citing it. */
export const matrixOf = (results: readonly RuleResult[]): MatrixRow[] => {
  const known = new Map<string, { title: string; severity: Severity; hipaa: readonly string[] }>(
    rules.map((r) => [r.id, { title: r.title, severity: r.severity, hipaa: r.hipaa }]),
  );
  for (const r of results)
    if (!known.has(r.ruleId)) known.set(r.ruleId, { title: r.ruleId, severity: r.severity, hipaa: r.hipaa });
  const citations = [...new Set([...known.values()].flatMap((r) => r.hipaa))].sort((a, b) => {
    const order = Object.keys(SAFEGUARDS);
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
  });
  return citations.map((citation) => {
    const cells = [...known.entries()]
      .filter(([, r]) => r.hipaa.includes(citation))
      .map(([ruleId, r]): MatrixCell => {
        const mine = results.filter((x) => x.ruleId === ruleId);
        return {
          ruleId,
          title: r.title,
          severity: r.severity,
          status: worstStatus(mine.map((x) => x.status)),
          counts: countByStatus(mine),
        };
      });
    return {
      citation,
      safeguard: SAFEGUARDS[citation] ?? 'HIPAA Security Rule',
      status: worstStatus(cells.map((c) => c.status)),
      cells,
    };
  });
};
