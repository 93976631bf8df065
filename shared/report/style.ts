/**
 * The report's one stylesheet, inline: no web fonts, images or imports (the page fetches nothing). Screen and
 * A4 print; rows, hops, pairs and findings never break across pages; long names and commands wrap instead
 * of being cut.
 */
export const REPORT_CSS = `
@page {
  size: A4; margin: 14mm 12mm 16mm 12mm;
  @bottom-left { content: "ReplGuard evidence report"; font: 7.5pt sans-serif; color: #57606a; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt sans-serif; color: #57606a; }
}
:root {
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --code: #f6f8fa;
  --pass: #1a7f37; --pass-bg: #e8f5eb; --fail: #b42318; --fail-bg: #fdeceb;
  --unknown: #8a5a00; --unknown-bg: #fff4d4; --na: #6e7781; --na-bg: #f0f2f4;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0 auto; padding: 24px 28px; max-width: 1180px; color: var(--ink); background: #fff;
  font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 19pt; margin: 0; }
h2 { font-size: 14pt; margin: 18pt 0 8pt; padding-bottom: 2pt; border-bottom: 2px solid var(--ink); break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 4pt; break-after: avoid; overflow-wrap: anywhere; }
p { margin: 3pt 0; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 8pt; }
code { overflow-wrap: anywhere; }
pre {
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; margin: 3pt 0 6pt;
  padding: 5pt 6pt; background: var(--code); border: 1px solid var(--line); border-radius: 4px;
}
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 8pt; }
th, td { border: 1px solid var(--line); padding: 3pt 5pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--na-bg); font-weight: 700; overflow-wrap: normal; }
thead { display: table-header-group; }
tr, .hop, .pair, .finding, .step, .verdict, .citation, .legend, .summary-tables { break-inside: avoid; }
.subtitle { color: var(--muted); margin: 2pt 0 8pt; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 6pt 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.verdict { display: flex; gap: 12pt; align-items: center; padding: 8pt 10pt; border-width: 2px; border-style: solid; border-radius: 6px; margin: 6pt 0 8pt; }
.verdict strong { font-size: 20pt; letter-spacing: 1px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12pt; }
.num { text-align: right; }
.badge {
  display: inline-block; padding: 0 4pt; border-radius: 3px; color: #fff; font-size: 7.5pt; font-weight: 700;
  line-height: 1.5; white-space: nowrap; vertical-align: 1px;
}
.s-COMPLIANT { border-color: var(--pass); background: var(--pass-bg); }
.s-NON_COMPLIANT { border-color: var(--fail); background: var(--fail-bg); }
.s-UNKNOWN { border-color: var(--unknown); background: var(--unknown-bg); }
.s-NOT_APPLICABLE, .s-NOT_EVALUATED { border-color: var(--na); background: var(--na-bg); }
.b-COMPLIANT, .verdict-PASS strong { background: var(--pass); }
.b-NON_COMPLIANT { background: var(--fail); }
.b-UNKNOWN { background: var(--unknown); }
.b-NOT_APPLICABLE, .b-NOT_EVALUATED { background: var(--na); }
.verdict-PASS strong { color: var(--pass); background: none; }
.verdict-FAIL strong { color: var(--fail); }
.verdict-INCOMPLETE strong { color: var(--unknown); }
td.cell { text-align: center; }
#pairs-at-a-glance th { font-size: 7.5pt; padding: 3pt 3pt; }
.intro { break-inside: avoid; }
.legend { font-size: 8pt; margin: 0 0 8pt; }
.legend td { padding: 2pt 4pt; }
.pair { border: 1px solid var(--line); border-radius: 6px; padding: 7pt; margin: 0 0 9pt; }
.pair .scope { color: var(--muted); font-size: 8.5pt; margin: 0 0 5pt; }
.path { display: grid; grid-template-columns: 1fr 16px 1fr 16px 1fr 16px 1fr; align-items: stretch; }
.arrow { display: flex; align-items: center; justify-content: center; color: var(--muted); font-size: 13pt; }
.hop { border-width: 2px; border-style: solid; border-radius: 6px; padding: 4pt 5pt; font-size: 8pt; min-width: 0; }
.hop-head { display: flex; justify-content: space-between; gap: 4pt; font-weight: 700; margin-bottom: 2pt; }
.hop-pair { margin-top: 6pt; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 4pt; margin: 0 0 3pt; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.facts dd.unknown { color: var(--unknown); font-style: italic; }
.checks { list-style: none; margin: 2pt 0 0; padding: 2pt 0 0; border-top: 1px solid rgba(0, 0, 0, 0.12); }
.hop-pair .checks { columns: 2; column-gap: 12pt; }
.check { display: flex; gap: 3pt; align-items: baseline; break-inside: avoid; }
.check code { font-size: 7pt; }
.finding { border-left-width: 4px; border-left-style: solid; padding: 4pt 0 4pt 8pt; margin: 0 0 10pt; }
.finding.s-NON_COMPLIANT, .finding.s-UNKNOWN { background: none; }
.finding h3 { font-size: 10pt; }
.finding .fix { margin: 4pt 0; }
.step .where { color: var(--muted); font-size: 8.5pt; }
.page { break-before: page; }
footer { margin-top: 16pt; padding-top: 4pt; border-top: 1px solid var(--line); color: var(--muted); font-size: 8pt; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { margin-top: 0; }
  .hop { font-size: 7pt; padding: 3pt 4pt; }
  .check code { font-size: 6.5pt; }
  .path { grid-template-columns: 1fr 12px 1fr 12px 1fr 12px 1fr; }
}
`;
