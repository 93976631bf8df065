/**
 * The report's model → one self-contained HTML page: inline CSS, no script, no image, no font or other file
 * to fetch (a Content-Security-Policy forbids any), every value escaped (markup.ts). Sections carry stable
 * ids and `data-*` attributes (status, rule, hop) so tests and tools can read it back.
 */
import type { FixStep } from '../model/fix.js';
import type { HopStatus } from './hops.js';
import { h, Markup, type Part } from './markup.js';
import type {
  Check,
  Fact,
  Finding,
  HopModel,
  LoneBucket,
  MatrixRow,
  PairModel,
  ReportModel,
  Summary,
} from './model.js';
import { REPORT_CSS } from './style.js';

/** What each status is called on the page (colour is never the only sign). */
export const STATUS_LABELS: Readonly<Record<HopStatus, string>> = {
  COMPLIANT: 'PASS',
  NON_COMPLIANT: 'FAIL',
  UNKNOWN: 'UNKNOWN',
  NOT_APPLICABLE: 'N/A',
  NOT_EVALUATED: 'NOT EVALUATED',
};

const badge = (status: HopStatus): Markup =>
  h`<span class="badge b-${status}" data-status="${status}">${STATUS_LABELS[status]}</span>`;

const facts = (list: readonly Fact[], cls = 'facts'): Markup =>
  h`<dl class="${cls}">${list.map(
    (f) => h`<dt>${f.label}</dt><dd${f.unknown ? h` class="unknown"` : ''}>${f.value}</dd>`,
  )}</dl>`;

/** A rule id that may wrap after its underscores (narrow hops, A4). */
const ruleName = (id: string): Markup =>
  h`<code>${id.split('_').map((part, i) => (i === 0 ? part : h`_<wbr>${part}`))}</code>`;

const checks = (list: readonly Check[]): Markup =>
  list.length === 0
    ? h`<p class="muted">No rule judged this hop.</p>`
    : h`<ul class="checks">${list.map(
        (c) =>
          h`<li class="check" data-rule="${c.ruleId}" data-status="${c.status}" title="${c.message}">${badge(c.status)} ${ruleName(c.ruleId)}</li>`,
      )}</ul>`;

const hop = (m: HopModel, extra = ''): Markup =>
  h`<div class="hop s-${m.status}${extra}" data-hop="${m.hop}" data-status="${m.status}">
<div class="hop-head"><span>${m.label}</span>${badge(m.status)}</div>
${facts(m.facts)}${checks(m.checks)}</div>`;

const pairTitle = (p: { source: string; destination: string; ruleId: string }): string =>
  `${p.source} → ${p.destination}`;

const header = (m: ReportModel): Markup => h`<header id="top">
<h1>ReplGuard evidence report</h1>
<p class="subtitle">HIPAA compliance of Amazon S3 replication: the whole path of every replicated bucket.</p>
${facts(
  [
    { label: 'Generated', value: m.generatedAt },
    { label: 'Account', value: m.accountId },
    { label: 'Region', value: m.region },
    { label: 'ReplGuard version', value: m.version },
    ...m.scope,
  ],
  'meta',
)}
</header>`;

const VERDICT_TEXT: Readonly<Record<Summary['verdict'], string>> = {
  PASS: 'Every rule passes on every scanned replication path.',
  FAIL: 'At least one rule fails: replicas of PHI may be missing, unprotected or unmonitored.',
  INCOMPLETE: 'Nothing fails, but not everything could be read: UNKNOWN is never reported as a pass.',
};

const summary = (m: ReportModel): Markup => {
  const s = m.summary;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return h`<section id="summary">
<h2>Summary</h2>
<div class="verdict s-${s.verdict === 'PASS' ? 'COMPLIANT' : s.verdict === 'FAIL' ? 'NON_COMPLIANT' : 'UNKNOWN'} verdict-${s.verdict}" data-verdict="${s.verdict}">
<strong>${s.verdict}</strong><div><p>${VERDICT_TEXT[s.verdict]}</p>
<p>${n(s.pairs, 'replication pair')} of ${n(s.buckets, 'bucket')}; ${n(s.results, 'result')}; ${n(m.findings.length, 'finding')} by cause; a fix plan of ${n(s.steps, 'step')}${s.decisions ? `, ${n(s.decisions, 'decision')} for a person` : ''}${s.accepted ? `; ${n(s.accepted, 'failure')} with an accepted risk` : ''}.</p></div>
</div>
<div class="grid2">
<table id="status-counts"><thead><tr><th>Status</th><th class="num">Results</th></tr></thead><tbody>
${(['NON_COMPLIANT', 'UNKNOWN', 'COMPLIANT', 'NOT_APPLICABLE'] as const).map(
  (st) => h`<tr data-status="${st}"><td>${badge(st)}</td><td class="num">${s.byStatus[st]}</td></tr>`,
)}
</tbody></table>
<table id="severity-counts"><thead><tr><th style="width:46%">Severity</th><th class="num">Failing</th><th class="num">Unknown</th></tr></thead><tbody>
${s.bySeverity.map(
  (r) =>
    h`<tr data-severity="${r.severity}"><td>${r.severity}</td><td class="num">${r.failing}</td><td class="num">${r.unknown}</td></tr>`,
)}
</tbody></table>
</div>
<table id="pairs-at-a-glance"><thead><tr><th style="width:28%">Replication pair</th><th>Pair</th>${m.legend.map(
    (l) => h`<th>${l.short}</th>`,
  )}</tr></thead><tbody>
${m.pairs.map(
  (p) =>
    h`<tr data-source="${p.source}" data-destination="${p.destination}" data-rule="${p.ruleId}"><td>${pairTitle(p)}<br><span class="muted">rule ${p.ruleId}</span></td><td>${badge(p.status)}</td>${[
      ...p.hops,
      p.pair,
    ].map((x) => h`<td data-hop="${x.hop}">${badge(x.status)}</td>`)}</tr>`,
)}
${m.lone.map(
  (b) =>
    h`<tr data-source="${b.bucket}"><td>${b.bucket}<br><span class="muted">no replication pair</span></td><td>${badge(b.status)}</td><td colspan="${m.legend.length}" class="muted">${b.scope}</td></tr>`,
)}
</tbody></table>
</section>`;
};

const legend = (m: ReportModel): Markup => h`<table class="legend" id="hop-legend"><thead><tr>
<th style="width:22%">Hop</th><th>Rules that colour it (the worst status wins)</th></tr></thead><tbody>
${m.legend.map((l) => h`<tr data-hop="${l.hop}"><td>${l.label}</td><td><code>${l.rules.join(', ')}</code></td></tr>`)}
</tbody></table>`;

const pair = (p: PairModel): Markup => {
  const arrow = h`<div class="arrow" aria-hidden="true">&#8594;</div>`;
  const path: Part[] = [];
  p.hops.forEach((x, i) => path.push(i > 0 ? arrow : '', hop(x)));
  return h`<article class="pair" data-source="${p.source}" data-destination="${p.destination}" data-rule="${p.ruleId}" data-status="${p.status}">
<h3>${pairTitle(p)} ${badge(p.status)}</h3>
<p class="scope">Replication rule <code>${p.ruleId}</code>; in scope: ${p.scope}.</p>
<div class="path">${path}</div>
${hop(p.pair, ' hop-pair')}
</article>`;
};

const lone = (b: LoneBucket): Markup =>
  h`<article class="pair lone s-${b.status}" data-source="${b.bucket}" data-status="${b.status}">
<h3>${b.bucket} ${badge(b.status)}</h3><p class="scope">No replication pair; in scope: ${b.scope}.</p>
${facts(b.facts)}${checks(b.checks)}</article>`;

const pairs = (m: ReportModel): Markup => h`<section id="pairs">
<div class="intro">
<h2>Replication paths</h2>
<p>Each pair is drawn as the path its copies take: source bucket, replication role, KMS keys, destination bucket, with
the pair's monitoring and recovery below. A hop is coloured by the worst status of the rules that judge it:</p>
${legend(m)}
</div>
${m.pairs.length === 0 && m.lone.length === 0 ? h`<p>No bucket was scanned.</p>` : ''}
${m.pairs.map(pair)}${m.lone.map(lone)}
</section>`;

const where = (s: FixStep) => `account ${s.accountId}, ${s.region}`;

const findings = (m: ReportModel): Markup => {
  const printed = new Set<number>();
  const step = (s: FixStep): Markup => {
    const first = !printed.has(s.step);
    printed.add(s.step);
    return h`<div class="step" data-step="${s.step}"><p><strong>Step ${s.step}</strong>: ${s.summary} <span class="where">(${where(s)}${
      s.after.length ? `; after step ${s.after.join(', ')}` : ''
    })</span></p>${first ? h`<pre>${s.command}</pre>` : h`<p class="muted">Its command is printed above.</p>`}</div>`;
  };
  const finding = (
    f: Finding,
  ): Markup => h`<article class="finding s-${f.status}" data-status="${f.status}" data-severity="${f.severity}" data-rules="${f.affected.map((a) => a.ruleId).join(' ')}">
<h3>${badge(f.status)} <span class="muted">${f.severity}</span> ${f.cause}</h3>
<table class="affected"><thead><tr><th style="width:30%">Rule</th><th style="width:12%">Severity</th><th>Replication path</th></tr></thead><tbody>
${f.affected.map(
  (a) =>
    h`<tr data-rule="${a.ruleId}"><td>${ruleName(a.ruleId)}<br><span class="muted">${a.title}</span></td><td>${a.severity}</td><td>${a.path}${
      a.exception ? h`<br><em>${a.exception}</em>` : ''
    }${a.docs ? h`<br><span class="muted">AWS documentation: ${a.docs}</span>` : ''}</td></tr>`,
)}
</tbody></table>
${f.facts.length ? facts(f.facts) : ''}
<p class="fix"><strong>${f.status === 'UNKNOWN' ? 'To read it' : 'Fix'}:</strong> ${f.fix}</p>
${f.steps.map(step)}
${f.decisions.map((d) => h`<p class="decision"><strong>Needs a decision:</strong> ${d}</p>`)}
</article>`;
  const body = m.findings.map(finding);
  const rest = m.steps.filter((s) => !printed.has(s.step));
  return h`<section id="findings" class="page">
<h2>Findings and fixes</h2>
${
  m.findings.length === 0
    ? h`<p>Nothing fails and nothing is unknown.</p>`
    : h`<p>Grouped by cause: what could not be read is said once, with the rules it affects. Each fix is a step of one
plan (one change per resource, in dependency order, proven by re-evaluating every rule with all steps applied); run
the steps in their numbered order, each with credentials of its account, or <code>replguard fix --format sh</code>.</p>`
}
${body}
${rest.length ? h`<h3>Other steps of the plan</h3>${rest.map(step)}` : ''}
${m.caveats.length ? h`<h3>Could not be verified before applying</h3><ul>${m.caveats.map((c) => h`<li>${c}</li>`)}</ul>` : ''}
</section>`;
};

const counts = (c: Readonly<Record<string, number>>): string =>
  [
    c.COMPLIANT ? `${c.COMPLIANT} pass` : '',
    c.NON_COMPLIANT ? `${c.NON_COMPLIANT} fail` : '',
    c.UNKNOWN ? `${c.UNKNOWN} unknown` : '',
    c.NOT_APPLICABLE ? `${c.NOT_APPLICABLE} n/a` : '',
  ]
    .filter(Boolean)
    .join(', ');

const matrix = (rows: readonly MatrixRow[]): Markup => h`<section id="hipaa" class="page">
<h2>HIPAA matrix</h2>
<p>HIPAA Security Rule (45 CFR Part 164) safeguards × the rules that evidence them × their status over this scan.</p>
<table id="hipaa-matrix"><thead><tr><th style="width:24%">Citation</th><th style="width:33%">Rule</th><th style="width:11%">Severity</th><th style="width:12%">Status</th><th>Results</th></tr></thead>
${rows.map(
  (r) =>
    h`<tbody class="citation" data-citation="${r.citation}" data-status="${r.status}">${r.cells.map(
      (c, i) =>
        h`<tr>${i === 0 ? h`<th rowspan="${r.cells.length}" scope="rowgroup">${r.citation}<br><span class="muted">${r.safeguard}</span><br>${badge(r.status)}</th>` : ''}<td>${ruleName(c.ruleId)}</td><td>${c.severity}</td><td class="cell s-${c.status}" data-citation="${r.citation}" data-rule="${c.ruleId}" data-status="${c.status}">${STATUS_LABELS[c.status]}</td><td>${counts(c.counts) || 'not evaluated'}</td></tr>`,
    )}</tbody>`,
)}
</table>
</section>`;

const errors = (m: ReportModel): Markup =>
  m.errors.length === 0
    ? h``
    : h`<section id="errors"><h2>Not scanned</h2><ul>${m.errors.map(
        (e) => h`<li data-bucket="${e.bucket}"><code>${e.bucket}</code>: ${e.message} (${e.code})</li>`,
      )}</ul></section>`;

/** Renders the report as one HTML document. */
export const renderReport = (m: ReportModel): string =>
  h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ReplGuard ${m.version}">
<title>${m.title} (${m.accountId}, ${m.generatedAt})</title>
<style>${new Markup(REPORT_CSS)}</style>
</head>
<body>
${header(m)}
${summary(m)}
${errors(m)}
${pairs(m)}
${findings(m)}
${matrix(m.matrix)}
<footer>Generated by ReplGuard ${m.version} at ${m.generatedAt} for account ${m.accountId} (${m.region}). This file is
self-contained: it loads nothing from any network. Object keys are replaced by salted hashes.</footer>
</body>
</html>
`.html;
