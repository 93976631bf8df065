import { writeFile } from 'node:fs/promises';
import { CallCounter } from '../aws/callCounter.js';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clientFactory.js';
import { describeError } from '../aws/describe.js';
import { resolveRegion } from '../aws/region.js';
import { ScanSession } from '../collect/session.js';
import { scan } from '../engine/scan.js';
import { SEVERITY_ORDER, type RuleResult, type Severity } from '../rules/types.js';
import { VERSION } from '../version.js';
import { readExceptionsFile, readExceptionsParameter } from '../collect/readers/exceptions.js';
import type { ExceptionSet } from '../findings/exceptions.js';
import type { SinkLogger } from '../publish/sinks/index.js';
import { rules } from '../rules/index.js';
import { runtimeRules } from '../rules/runtime/index.js';
import { sinkSettingsFromEnv } from '../runtime/config.js';
import { ALERT_TEST_HELP, parseAlertTestArgs, runAlertTest } from './alertTest.js';
import { parseScanArgs, SCAN_HELP, type ScanArgs } from './args.js';
import { UsageError } from './errors.js';
import { runFix } from './fix.js';
import { FIX_HELP, parseFixArgs } from './fixArgs.js';
import { BACKFILL_HELP, parseBackfillArgs } from './backfillArgs.js';
import { parseReportArgs, REPORT_HELP, runReport } from './report.js';
import { checkOutputFile, type CommonArgs, useColor } from './flags.js';
import { toOcsf } from './ocsf.js';
import { toJsonReport, toTable } from './output.js';
import { toSarif } from './sarif.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  /** True when stdout is a terminal (table output is coloured then); default `process.stdout.isTTY`. */
  readonly stdoutIsTty?: boolean;
  /** Asks a question on the terminal (`replguard fix --apply`); absent when stdin is not a terminal. */
  readonly ask?: (question: string) => Promise<string>;
}

/** What a command gets once its common flags are applied: clients' options, its output, colour. */
export interface Prepared {
  /** The factory options with the Region resolved (as the SDK does, `--profile` included), profile, endpoint. */
  readonly options: ClientFactoryOptions;
  /** `io` with stdout going to `--output-file` when given. */
  readonly io: Io;
  readonly color: boolean;
}

/** One command: its line in the top-level help, its own help, and how it runs. */
export interface Command {
  readonly summary: string;
  readonly help: string;
  readonly run: (argv: readonly string[], io: Io, factoryOptions: ClientFactoryOptions) => Promise<number>;
}

/** Prints a help text on stdout: exit status 0. */
const printed = (io: Io, text: string): number => {
  io.stdout(`${text}\n`);
  return 0;
};

/** True when a result should make the exit status 1 (a risk accepted by an active exception does not). */
export const isFailing = (r: RuleResult, failOn?: Severity): boolean =>
  (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN') &&
  r.exception?.status !== 'active' &&
  (failOn === undefined || SEVERITY_ORDER.indexOf(r.severity) <= SEVERITY_ORDER.indexOf(failOn));

/** Sinks log to stderr, one line each (never secrets or object keys: the sinks do not log them). */
const stderrLogger = (io: Io): SinkLogger => {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    io.stderr(`replguard: ${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return { info: () => undefined, warn: line('warning'), error: line('error') };
};

/**
 * Applies the common flags around `body`: resolves the Region (`--region`, AWS_REGION, the profile's, …),
 * passes `--profile` and `--endpoint-url` to the clients, sends stdout to `--output-file` (written when the
 * command ends, whatever its exit status), decides colour.
 */
export const withCommonArgs = async (
  args: CommonArgs,
  io: Io,
  factoryOptions: ClientFactoryOptions,
  body: (prepared: Prepared) => Promise<number>,
): Promise<number> => {
  if (args.outputFile) await checkOutputFile(args.outputFile);
  const region = await resolveRegion({
    ...((args.region ?? factoryOptions.region) ? { region: args.region ?? factoryOptions.region } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
  });
  const options: ClientFactoryOptions = {
    ...factoryOptions,
    region,
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
  };
  const color = useColor(args, io.stdoutIsTty ?? process.stdout.isTTY === true);
  if (!args.outputFile) return body({ options, io, color });
  let buffered = '';
  const code = await body({ options, io: { ...io, stdout: (text) => void (buffered += text) }, color });
  await writeFile(args.outputFile, buffered);
  return code;
};

/** The risk exceptions a scan applies: a file, a parameter, or REPLGUARD_EXCEPTIONS_PARAMETER when set. */
const exceptionsFor = (args: ScanArgs, factory: ClientFactory): (() => Promise<ExceptionSet>) | undefined => {
  const ruleIds = new Set([...rules, ...runtimeRules].map((r) => r.id));
  const parameter =
    args.exceptions && 'parameter' in args.exceptions
      ? args.exceptions.parameter
      : process.env.REPLGUARD_EXCEPTIONS_PARAMETER?.trim() || undefined;
  if (args.exceptions && 'file' in args.exceptions) {
    const file = args.exceptions.file;
    return () => readExceptionsFile(file, ruleIds);
  }
  return parameter ? () => readExceptionsParameter(factory, parameter, ruleIds) : undefined;
};

const isFailingStatus = (r: RuleResult) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN';

const runScan = async (args: ScanArgs, prepared: Prepared): Promise<number> => {
  const { options, io, color } = prepared;
  if (args.org) {
    const { runOrgScan } = await import('./orgScan.js');
    return runOrgScan({ ...args, org: args.org }, prepared, (r) => isFailing(r, args.failOn));
  }
  const factory = new ClientFactory({
    ...options,
    crossAccountRoleName: args.parameters.crossAccountRoleName,
  });
  const session = new ScanSession(factory, args.parameters);
  const showProgress = io.stderrIsTty && !args.quiet && (args.all || args.buckets.length > 1);
  const exceptions = exceptionsFor(args, factory);
  const report = await scan(
    session,
    {
      buckets: args.buckets,
      all: args.all,
      ...(args.regions ? { regions: args.regions } : {}),
      ...(showProgress
        ? { onProgress: (done, total, bucket) => io.stderr(`\r[${done}/${total}] ${bucket}\x1b[K`) }
        : {}),
    },
    exceptions ? { exceptions } : {},
  );
  for (const problem of report.exceptions.problems)
    io.stderr(`replguard: risk exception not applied: ${problem}\n`);
  if (showProgress) io.stderr('\n');
  for (const e of report.errors) io.stderr(`replguard: ${e.bucket}: ${e.message}\n`);
  const errors = report.errors.map((e) => ({ bucket: e.bucket, code: e.code, message: e.message }));
  const shown = args.quiet ? report.results.filter(isFailingStatus) : report.results;
  if (args.format === 'json')
    io.stdout(
      `${toJsonReport(
        shown,
        {
          ...(errors.length ? { errors } : {}),
          ...(report.judged.plan.steps.length ? { plan: { steps: report.judged.plan.steps } } : {}),
        },
        report.judged.plan.steps,
      )}\n`,
    );
  else if (args.format === 'sarif')
    io.stdout(`${JSON.stringify(toSarif(report.results, { accountId: report.accountId }), null, 2)}\n`);
  else if (args.format === 'ocsf') io.stdout(`${JSON.stringify(toOcsf(shown), null, 2)}\n`);
  else io.stdout(`${toTable(report.results, { color, quiet: args.quiet })}\n`);
  if (args.publish) {
    const { publishScan } = await import('./publish.js');
    const settings = { ...sinkSettingsFromEnv(), ...args.sinks, securityHub: true };
    io.stderr(`${await publishScan(session, factory, report, settings, stderrLogger(io))}\n`);
  }
  if (report.errors.length > 0) return 2;
  return report.results.some((r) => isFailing(r, args.failOn)) ? 1 : 0;
};

/**
 * The commands, in the order `replguard --help` lists them. `replguard help NAME` prints a command's help; a
 * new command is one entry here.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  scan: {
    summary: 'evaluate buckets now',
    help: SCAN_HELP,
    run: async (argv, io, factoryOptions) => {
      const args = parseScanArgs(argv);
      if (args === 'help') return printed(io, SCAN_HELP);
      return withCommonArgs(args, io, factoryOptions, (prepared) => runScan(args, prepared));
    },
  },
  fix: {
    summary: 'print the proven fix plan, or apply it',
    help: FIX_HELP,
    run: async (argv, io, factoryOptions) => {
      const args = parseFixArgs(argv);
      if (args === 'help') return printed(io, FIX_HELP);
      return withCommonArgs(args, io, factoryOptions, (p) => runFix(args, p.io, p.options));
    },
  },
  backfill: {
    summary: 'copy the objects replication left behind with S3 Batch Replication',
    help: BACKFILL_HELP,
    run: async (argv, io, factoryOptions) => {
      const args = parseBackfillArgs(argv);
      if (args === 'help') return printed(io, BACKFILL_HELP);
      const { runBackfill } = await import('./backfill.js');
      return withCommonArgs(args, io, factoryOptions, (p) => runBackfill(args, p.io, p.options));
    },
  },
  report: {
    summary: 'write an HTML evidence report: each replication path, findings and fixes, HIPAA matrix',
    help: REPORT_HELP,
    run: async (argv, io, factoryOptions) => {
      const args = parseReportArgs(argv);
      if (args === 'help') return printed(io, REPORT_HELP);
      // runReport resolves --profile, --region, --endpoint-url and -o itself (it writes the file).
      return runReport(args, io, factoryOptions);
    },
  },
  alert: {
    summary: 'send a test alert through every configured sink, then resolve it (alert test)',
    help: ALERT_TEST_HELP,
    run: async ([sub, ...rest], io, factoryOptions) => {
      if (sub === '-h' || sub === '--help') return printed(io, ALERT_TEST_HELP);
      if (sub !== 'test')
        throw new UsageError(
          sub === undefined
            ? 'alert needs a subcommand: replguard alert test (replguard help alert)'
            : `unknown command "alert ${sub}" (replguard help alert)`,
        );
      const args = parseAlertTestArgs(rest);
      if (args === 'help') return printed(io, ALERT_TEST_HELP);
      return withCommonArgs(args, io, factoryOptions, (p) =>
        runAlertTest(
          args,
          new ClientFactory(p.options),
          (line) => p.io.stdout(`${line}\n`),
          stderrLogger(io),
        ),
      );
    },
  },
};

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;

export const MAIN_HELP = `Usage: replguard <command> [options]

ReplGuard checks the whole S3 replication path (versioning, role, KMS keys, bucket policies,
Object Lock, monitoring) and names the missing permission or setting.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join('\n')}
  ${'help'.padEnd(width)}show the help of a command (replguard help scan)

Every command takes --profile, --region, --endpoint-url, -o/--output-file, --no-color, --debug and --help.

Options:
  -h, --help     show this help
  --version      print the version`;

/** `--profile NAME` / `--profile=NAME` as given, else AWS_PROFILE: the profile named in credential fixes. */
const profileIn = (argv: readonly string[]): string | undefined => {
  const at = argv.indexOf('--profile');
  const inline = argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  return (at >= 0 ? argv[at + 1] : inline) || process.env.AWS_PROFILE || undefined;
};

/** `replguard help [COMMAND]`. */
const help = (topic: readonly string[], io: Io): number => {
  const [name] = topic;
  if (name === undefined) return printed(io, MAIN_HELP);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command)
    throw new UsageError(
      `no command "${name}": the commands are ${Object.keys(COMMANDS).join(', ')} (replguard --help)`,
    );
  return printed(io, command.help);
};

/** Runs the CLI; returns the exit status (0 clean, 1 failing results, 2 usage or runtime error). */
export const run = async (
  argv: readonly string[],
  io: Io,
  factoryOptions: ClientFactoryOptions = {},
): Promise<number> => {
  const [command, ...rest] = argv;
  const debug = argv.includes('--debug');
  try {
    if (command === undefined) {
      io.stderr(`${MAIN_HELP}\n`);
      return 2;
    }
    if (command === '-h' || command === '--help') return help([], io);
    if (command === 'help') return help(rest, io);
    if (command === '--version') {
      io.stdout(`replguard ${VERSION}\n`);
      return 0;
    }
    const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!entry) throw new UsageError(`unknown command "${command}" (replguard --help)`);
    if (!debug) return await entry.run(rest, io, factoryOptions);
    // --debug: the AWS API calls the command made, one line on stderr (benchmarks read it)
    const counter = factoryOptions.counter ?? new CallCounter();
    try {
      return await entry.run(rest, io, { ...factoryOptions, counter });
    } finally {
      const calls = { total: counter.total(), byOperation: counter.snapshot() };
      io.stderr(`replguard: debug: AWS API calls ${JSON.stringify(calls)}\n`);
    }
  } catch (error) {
    const err = error as Error;
    const line =
      error instanceof UsageError
        ? `${err.message}${/--help|replguard help/.test(err.message) || !command || !Object.hasOwn(COMMANDS, command) ? '' : ` (replguard help ${command})`}`
        : describeError(error, { ...(profileIn(argv) ? { profile: profileIn(argv) as string } : {}) });
    io.stderr(`replguard: ${line}\n`);
    if (debug && err.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
};
