/** Plain-text rendering for the demo: one line per finding, a one-line fix, and the closing summary. */
import { type CauseGroup, groupByCause } from '../../shared/cli/causes.js';
import { type RuleResult, SEVERITY_ORDER, type Severity } from '../../shared/rules/types.js';
import type { SectionOutcome, Style } from './context.js';

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

/** ANSI styles when `enabled`, identity functions otherwise. */
export const styleFor = (enabled: boolean): Style => {
  const plain = (text: string) => text;
  return enabled
    ? { bold: ansi(1), dim: ansi(2), red: ansi(31), yellow: ansi(33), green: ansi(32) }
    : { bold: plain, dim: plain, red: plain, yellow: plain, green: plain };
};

/** Whitespace collapsed, cut to `width` characters with an ellipsis. */
export const clip = (text: string, width: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

/**
 * The first sentence of a remediation (sentences end at ". " outside backquoted commands), clipped: enough to
 * say what to do on one line; `replguard scan --format json` has the whole text.
 */
export const firstSentence = (text: string): string => {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') quoted = !quoted;
    else if (!quoted && text[i] === '.' && (text[i + 1] === ' ' || i === text.length - 1))
      return text.slice(0, i + 1);
  }
  return text;
};

const MESSAGE_WIDTH = 220;
const FIX_WIDTH = 200;

/**
 * The planned command when the plan proved one ("step 2: aws …"), the decision when it waits on one, else
 * the remediation's first sentence.
 */
const fixLine = (r: RuleResult): string => {
  const planned = /Fix \((steps? [\d, ]+)[^)]*\): `([^`]+)`/.exec(r.remediation);
  if (planned) return `${planned[1]?.trim()}: ${planned[2]}`;
  const decision = /Needs a decision: (.*)$/.exec(r.remediation);
  return decision ? `decide: ${decision[1]}` : firstSentence(r.remediation);
};

const rank = (r: RuleResult): number => SEVERITY_ORDER.indexOf(r.severity);

/** The most severe result of a group. */
const worst = (g: CauseGroup): RuleResult =>
  [...g.results].sort((a, b) => rank(a) - rank(b))[0] as RuleResult;

/** "rule_a, rule_b and 3 more (phi-prod → phi-dr)": the rules one cause affects, and where. */
const affected = (g: CauseGroup): string => {
  const ids = [...new Set(g.results.map((r) => r.ruleId))];
  const shown = ids.length > 4 ? `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more` : ids.join(', ');
  const paths = [
    ...new Set(g.results.map((r) => `${r.bucket}${r.destinationBucket ? ` → ${r.destinationBucket}` : ''}`)),
  ];
  return `${shown} (${paths.join('; ')})`;
};

/**
 * Three lines per cause of the NON_COMPLIANT and UNKNOWN results (`groupByCause`), most severe first: status,
 * severity and rule id; the message; a one-line `fix:`. When one cause explains many results (a destination
 * account that cannot be read makes nine rules UNKNOWN) it is said once: what could not be read, the rules it
 * affects, the fix. Identical results (e.g. per destination) are printed once.
 */
export const findingLines = (results: readonly RuleResult[], style: Style): string[] => {
  const seen = new Set<string>();
  return groupByCause(results)
    .sort((a, b) => rank(worst(a)) - rank(worst(b)))
    .flatMap((g) => {
      const r = worst(g);
      const key = g.results.length > 1 ? `${g.status}|${g.cause}` : `${r.status}|${r.ruleId}|${r.message}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const status = r.status === 'UNKNOWN' ? style.yellow(r.status.padEnd(13)) : style.red(r.status);
      if (g.results.length === 1 || new Set(g.results.map((x) => x.ruleId)).size === 1)
        return [
          `  ${status}  ${r.severity.padEnd(8)}  ${style.bold(r.ruleId)}`,
          `      ${clip(r.message, MESSAGE_WIDTH)}`,
          `      ${style.dim('fix:')} ${clip(fixLine(r), FIX_WIDTH)}`,
        ];
      return [
        `  ${status}  ${r.severity.padEnd(8)}  ${style.bold(clip(g.cause, MESSAGE_WIDTH))}`,
        `      ${style.dim(`affects ${g.results.length} results:`)} ${clip(affected(g), MESSAGE_WIDTH)}`,
        `      ${style.dim('fix:')} ${clip(fixLine(r), FIX_WIDTH)}`,
      ];
    });
};

/** NON_COMPLIANT results counted by severity. */
export const findingsBySeverity = (results: readonly RuleResult[]): Partial<Record<Severity, number>> => {
  const counts: Partial<Record<Severity, number>> = {};
  for (const r of results)
    if (r.status === 'NON_COMPLIANT') counts[r.severity] = (counts[r.severity] ?? 0) + 1;
  return counts;
};

/** "41 findings (CRITICAL 22, HIGH 12, MEDIUM 7)". */
export const describeFindings = (counts: Partial<Record<Severity, number>>): string => {
  const parts = SEVERITY_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  const total = SEVERITY_ORDER.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return `${total} finding${total === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
};

/** The demo's closing line, over every section's outcome. */
export const summaryLine = (outcomes: readonly SectionOutcome[], seconds: number): string => {
  const findings: Partial<Record<Severity, number>> = {};
  for (const o of outcomes)
    for (const [severity, n] of Object.entries(o.findings ?? {}))
      findings[severity as Severity] = (findings[severity as Severity] ?? 0) + (n ?? 0);
  const unknown = outcomes.reduce((n, o) => n + (o.unknown ?? 0), 0);
  const errors = outcomes.reduce((n, o) => n + (o.errors ?? 0), 0);
  const phrases = outcomes.flatMap((o) => (o.summary ? [o.summary] : []));
  return `Summary: ${[...phrases, describeFindings(findings), `${unknown} UNKNOWN`, `${errors} error${errors === 1 ? '' : 's'}`].join('; ')}; ${seconds.toFixed(1)} s`;
};

/** A section banner. */
export const banner = (title: string, style: Style): string =>
  style.bold(`== ${title} ${'='.repeat(Math.max(3, 96 - title.length))}`);
