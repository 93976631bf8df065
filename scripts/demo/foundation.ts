/**
 * The first demo: a healthy replicated pair beside a pair whose destination versioning was Suspended, and
 * what the two versioning rules say about each.
 */
import { scan } from '../../shared/engine/scan.js';
import type { RuleResult } from '../../shared/rules/types.js';
import { scenario } from '../../test/scenarios/builder.js';
import type { DemoContext, DemoSection, SectionOutcome } from './context.js';
import { clip } from './format.js';

const VERSIONING_RULES = ['versioning_source_enabled', 'versioning_destination_enabled'] as const;

const statusText = (r: RuleResult | undefined, context: DemoContext): string => {
  if (!r) return context.style.yellow('(no result)');
  if (r.status === 'COMPLIANT') return context.style.green(r.status);
  return context.style.red(r.status);
};

/** Builds the two pairs, scans both sources and prints the versioning rules' verdicts side by side. */
export const runFoundation = async (context: DemoContext): Promise<SectionOutcome> => {
  const env = await scenario(context.endpoint, { account: context.accountFor('foundation') });
  const [healthy, suspended] = await Promise.all([
    env.replicatedPair({ name: 'phi-records', crossRegion: true }),
    env.replicatedPair({ name: 'phi-imaging', crossRegion: true, destinationVersioning: 'Suspended' }),
  ]);
  const report = await scan(env.session(), { buckets: [healthy.source.name, suspended.source.name] });
  const pairs = [
    { label: 'healthy pair', path: healthy },
    { label: 'destination versioning Suspended', path: suspended },
  ];
  for (const { label, path } of pairs) {
    context.out(
      `  ${context.style.bold(label)}: ${path.source.name} (${path.source.region}) → ${path.destination.name} (${path.destination.region})`,
    );
    for (const ruleId of VERSIONING_RULES) {
      const result = report.results.find((r) => r.bucket === path.source.name && r.ruleId === ruleId);
      const why = result && result.status !== 'COMPLIANT' ? `  ${clip(result.message, 160)}` : '';
      context.out(`      ${ruleId.padEnd(32)} ${statusText(result, context)}${why}`);
    }
  }
  const missing = [healthy, suspended].flatMap((p) =>
    VERSIONING_RULES.filter(
      (id) => !report.results.some((r) => r.bucket === p.source.name && r.ruleId === id),
    ),
  );
  return { summary: 'foundation: 2 pairs', errors: report.errors.length + missing.length };
};

export const foundationSection: DemoSection = {
  title: 'Foundation: a healthy pair and a pair whose destination versioning is Suspended',
  run: runFoundation,
};
