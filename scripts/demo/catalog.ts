/**
 * Every seed scenario of the catalog, each built in its own account, in parallel, then scanned with the real
 * engine; printed in catalog order with its findings and a one-line fix each.
 */
import { mapLimit } from '../../shared/engine/scan.js';
import { scenarios } from '../../test/scenarios/catalog/index.js';
import { problemsOf, runScenario, type ScenarioOutcome } from '../../test/scenarios/catalog/run.js';
import type { ScenarioDefinition } from '../../test/scenarios/catalog/types.js';
import type { DemoContext, DemoSection, SectionOutcome } from './context.js';
import { findingLines, findingsBySeverity } from './format.js';

/** Scenarios built at once: the emulator is one Python process, so more mostly queues. */
const CONCURRENCY = 12;

type Ran = { definition: ScenarioDefinition; outcome?: ScenarioOutcome; error?: Error };

const KIND_LABEL: Readonly<Record<string, string>> = {
  healthy: 'healthy',
  'near-miss': 'near-miss',
  failure: 'failure mode',
  access: 'unreadable',
};

/** Runs the catalog (or the scenarios named in `context.only`) and prints it. */
export const runCatalog = async (context: DemoContext): Promise<SectionOutcome> => {
  const { style, out } = context;
  const unknownNames = context.only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknownNames.length > 0) throw new Error(`no scenario named ${unknownNames.join(', ')}`);
  const chosen = context.only.length > 0 ? scenarios.filter((s) => context.only.includes(s.name)) : scenarios;
  let done = 0;
  const ran = await mapLimit(chosen, CONCURRENCY, async (definition): Promise<Ran> => {
    try {
      return {
        definition,
        outcome: await runScenario(definition, context.endpoint, context.accountFor(definition.name)),
      };
    } catch (error) {
      return { definition, error: error as Error };
    } finally {
      context.progress(`built and scanned ${++done}/${chosen.length} scenarios`);
    }
  });
  context.progress('');

  let asExpected = 0;
  let errors = 0;
  const results = ran.flatMap((r) => r.outcome?.report.results ?? []);
  for (const { definition, outcome, error } of ran) {
    out();
    out(
      `${style.bold(definition.name)} ${style.dim(`[${KIND_LABEL[definition.kind] ?? definition.kind}]`)} ${definition.description}`,
    );
    if (error || !outcome) {
      errors++;
      out(
        `  ${style.red('ERROR')} building or scanning failed: ${error?.message.split('\n')[0] ?? 'no outcome'}`,
      );
      continue;
    }
    const lines = findingLines(outcome.report.results, style);
    for (const e of outcome.report.errors) out(`  ${style.red('ERROR')} ${e.bucket}: ${e.message}`);
    errors += outcome.report.errors.length;
    if (lines.length === 0) out(`  ${style.green('no findings')}`);
    for (const line of lines) out(line);
    const problems = problemsOf(outcome);
    if (problems.length === 0) asExpected++;
    else for (const p of problems) out(`  ${style.yellow("differs from the scenario's expectation:")} ${p}`);
  }
  return {
    summary: `${ran.length} scenarios, ${asExpected} as expected`,
    findings: findingsBySeverity(results),
    unknown: results.filter((r) => r.status === 'UNKNOWN').length,
    errors,
  };
};

export const catalogSection: DemoSection = {
  title: 'Seed scenarios: a healthy setup, near-misses, and one or more failure modes per rule',
  run: runCatalog,
};
