/**
 * `npm run demo`: starts the AWS emulator, runs the demo's sections (the Foundation pairs, then every seed
 * scenario of the catalog), prints what ReplGuard finds, and stops the emulator.
 *
 *   npx tsx scripts/demo.ts                      # everything
 *   npx tsx scripts/demo.ts no-rtc trust-not-s3  # only these scenarios of the catalog
 *
 * Exit status: 0 when the demo ran (findings are the point), 1 when something failed to run.
 * Extension point: `runDemo({ sections: [...defaultSections(), mySection] })`, a section being a
 * `DemoSection` (scripts/demo/context.ts) that prints through the context and returns its counts.
 */
import { pathToFileURL } from 'node:url';
import { derivedAccount } from '../test/scenarios/builder.js';
import { catalogSection } from './demo/catalog.js';
import type { DemoContext, DemoSection, SectionOutcome } from './demo/context.js';
import { withEmulator } from './demo/emulator.js';
import { banner, styleFor, summaryLine } from './demo/format.js';
import { foundationSection } from './demo/foundation.js';
import { pipelineSection } from './demo/pipeline.js';
import { runtimeSection } from './demo/runtime.js';

export interface DemoOptions {
  /** Default `defaultSections()`. */
  readonly sections?: readonly DemoSection[];
  /** Use an emulator that is already running instead of starting one. */
  readonly endpoint?: string;
  /** Scenario names to limit the catalog to. */
  readonly only?: readonly string[];
  /** Where lines go; default stdout. */
  readonly out?: (line: string) => void;
  /** ANSI colours; default when stdout is a terminal and NO_COLOR is unset. */
  readonly color?: boolean;
}

export interface DemoResult {
  readonly outcomes: readonly SectionOutcome[];
  /** Failures of the demo itself (sections that threw, scans that errored). */
  readonly errors: number;
  readonly seconds: number;
}

/** The sections `npm run demo` runs, in order. */
export const defaultSections = (): DemoSection[] => [
  foundationSection,
  catalogSection,
  pipelineSection,
  runtimeSection,
];

/** Settings that keep the demo away from real AWS and quiet. */
const isolateFromAws = (): void => {
  Object.assign(process.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
};

/** Runs every section against the emulator and prints the closing summary line. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  isolateFromAws();
  const started = performance.now();
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const style = styleFor(options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR));
  const progress = (text: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
  };
  const sections = options.sections ?? defaultSections();
  const run = async (endpoint: string): Promise<SectionOutcome[]> => {
    const context: DemoContext = {
      endpoint,
      out: (line = '') => out(line),
      progress,
      style,
      accountFor: (label) => derivedAccount(`demo/${label}`),
      only: options.only ?? [],
    };
    const outcomes: SectionOutcome[] = [];
    for (const section of sections) {
      out('');
      out(banner(section.title, style));
      try {
        outcomes.push(await section.run(context));
      } catch (error) {
        progress('');
        out(`${style.red('ERROR')} ${section.title}: ${(error as Error).message.split('\n')[0]}`);
        outcomes.push({ errors: 1 });
      }
    }
    return outcomes;
  };
  const outcomes = options.endpoint
    ? await run(options.endpoint)
    : await withEmulator(
        async (endpoint) => {
          out(style.dim(`AWS emulator (moto with ReplGuard's fidelity patches) at ${endpoint}`));
          return run(endpoint);
        },
        (line) => process.stderr.write(`${line}\n`),
      );
  const seconds = (performance.now() - started) / 1000;
  out('');
  out(style.bold(summaryLine(outcomes, seconds)));
  return { outcomes, errors: outcomes.reduce((n, o) => n + (o.errors ?? 0), 0), seconds };
}

const main = async (argv: readonly string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: npm run demo [-- SCENARIO ...]\n');
    return 0;
  }
  try {
    const result = await runDemo({ only: argv.filter((a) => !a.startsWith('-')) });
    return result.errors > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 1;
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2));
