/**
 * A scan → the report's model. Object keys are hashed first, always (shared/findings/redaction.ts): the
 * report is a file that leaves the account, so `REPLGUARD_REDACTION=off` does not apply to it.
 */
import { redactionSettings, redactResult } from '../findings/redaction.js';
import { SEVERITY_ORDER } from '../model/result.js';
import { countByStatus, findingsOf, matrixOf } from './findings.js';
import { HOP_LABELS, HOP_SHORT_LABELS, type Hop, type HopStatus, PATH_HOPS, rulesOfHop } from './hops.js';
import type { Fact, ReportInput, ReportModel, Summary } from './model.js';
import { pairsOf } from './pairs.js';

const HOP_STATUSES: readonly HopStatus[] = [
  'COMPLIANT',
  'NON_COMPLIANT',
  'UNKNOWN',
  'NOT_APPLICABLE',
  'NOT_EVALUATED',
];

const scopeFacts = (input: ReportInput): Fact[] => {
  const p = input.parameters;
  return [
    {
      label: 'Scanned',
      value: input.target.all
        ? 'every in-scope bucket of the account'
        : `${input.target.buckets.join(', ')} (named)`,
    },
    {
      label: 'In scope',
      value: `buckets with a replication configuration, and buckets tagged ${p.scopeTag.key}=${p.scopeTag.value}`,
    },
    {
      label: 'Requirements',
      value: [
        p.requireCrossRegion ? 'a copy in another Region' : 'same-Region copies allowed',
        p.requireRtc ? 'Replication Time Control required' : 'Replication Time Control optional',
      ].join('; '),
    },
    { label: 'Read-only role in other accounts', value: p.crossAccountRoleName },
  ];
};

/** Builds the report's model from one scan. Pure. */
export const buildReportModel = (input: ReportInput): ReportModel => {
  const settings = redactionSettings(
    { redactObjectKeys: true, ...(input.salt ? { salt: input.salt } : {}) },
    input.accountId,
  );
  const results = input.results.map((r) => redactResult(r, settings));
  const { pairs, lone } = pairsOf(input.snapshots, results);
  const findings = findingsOf(results, input.steps);
  const byStatus = countByStatus(results);
  const errors = input.errors ?? [];
  const summary: Summary = {
    verdict:
      byStatus.NON_COMPLIANT > 0
        ? 'FAIL'
        : byStatus.UNKNOWN > 0 || errors.length > 0 || results.length === 0
          ? 'INCOMPLETE'
          : 'PASS',
    results: results.length,
    byStatus,
    bySeverity: SEVERITY_ORDER.map((severity) => ({
      severity,
      failing: results.filter((r) => r.severity === severity && r.status === 'NON_COMPLIANT').length,
      unknown: results.filter((r) => r.severity === severity && r.status === 'UNKNOWN').length,
    })),
    buckets: new Set(input.snapshots.map((s) => s.source.name)).size,
    pairs: pairs.length,
    pairsByStatus: Object.fromEntries(
      HOP_STATUSES.map((s) => [s, pairs.filter((p) => p.status === s).length]),
    ) as Record<HopStatus, number>,
    steps: input.steps.length,
    decisions: findings.reduce((n, f) => n + f.decisions.length, 0),
    accepted: results.filter((r) => r.status === 'NON_COMPLIANT' && r.exception?.status === 'active').length,
  };
  return {
    title: 'ReplGuard evidence report: HIPAA compliance of S3 replication',
    generatedAt: input.generatedAt.toISOString(),
    accountId: input.accountId,
    region: input.region,
    version: input.version,
    scope: scopeFacts(input),
    summary,
    pairs,
    lone,
    findings,
    steps: input.steps,
    caveats: input.caveats ?? [],
    matrix: matrixOf(results),
    errors,
    legend: ([...PATH_HOPS, 'pair'] as Hop[]).map((hop) => ({
      hop,
      label: HOP_LABELS[hop],
      short: HOP_SHORT_LABELS[hop],
      rules: rulesOfHop(hop),
    })),
  };
};
