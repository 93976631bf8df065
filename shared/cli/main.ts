import { ClientFactory, type ClientFactoryOptions } from '../aws/clientFactory.js';
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
import { toJsonReport, toTable } from './output.js';
import { toSarif } from './sarif.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  /** Asks a question on the terminal (`replguard fix --apply`); absent when stdin is not a terminal. */
  readonly ask?: (question: string) => Promise<string>;
}

export const MAIN_HELP = `Usage: replguard <command> [options]

ReplGuard checks the whole S3 replication path (versioning, role, KMS keys, bucket policies,
Object Lock, monitoring) and names the missing permission or setting.

Commands:
  scan        evaluate buckets now (replguard scan --help)
  fix         print the proven fix plan, or apply it (replguard fix --help)
  backfill    copy the objects replication left behind with S3 Batch Replication (replguard backfill --help)
  alert test  send a test alert through every configured sink, then resolve it

Options:
  -h, --help     show this help
  --version      print the version`;

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

const runScan = async (args: ScanArgs, io: Io, factoryOptions: ClientFactoryOptions): Promise<number> => {
  const factory = new ClientFactory({
    ...factoryOptions,
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
    crossAccountRoleName: args.parameters.crossAccountRoleName,
  });
  const session = new ScanSession(factory, args.parameters);
  const showProgress = io.stderrIsTty && (args.all || args.buckets.length > 1);
  const exceptions = exceptionsFor(args, factory);
  const report = await scan(
    session,
    {
      buckets: args.buckets,
      all: args.all,
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
  if (args.format === 'json')
    io.stdout(
      `${toJsonReport(
        report.results,
        {
          ...(errors.length ? { errors } : {}),
          ...(report.judged.plan.steps.length ? { plan: { steps: report.judged.plan.steps } } : {}),
        },
        report.judged.plan.steps,
      )}\n`,
    );
  else if (args.format === 'sarif') io.stdout(`${JSON.stringify(toSarif(report.results), null, 2)}\n`);
  else io.stdout(`${toTable(report.results)}\n`);
  if (args.publish) {
    const { publishScan } = await import('./publish.js');
    const settings = { ...sinkSettingsFromEnv(), ...args.sinks, securityHub: true };
    io.stderr(`${await publishScan(session, factory, report, settings, stderrLogger(io))}\n`);
  }
  if (report.errors.length > 0) return 2;
  return report.results.some((r) => isFailing(r, args.failOn)) ? 1 : 0;
};

const runAlert = async (
  argv: readonly string[],
  io: Io,
  factoryOptions: ClientFactoryOptions,
): Promise<number> => {
  const [sub, ...rest] = argv;
  if (sub !== 'test')
    throw new UsageError(`unknown command "alert ${sub ?? ''}" (try replguard alert test --help)`);
  const args = parseAlertTestArgs(rest);
  if (args === 'help') {
    io.stdout(`${ALERT_TEST_HELP}\n`);
    return 0;
  }
  const factory = new ClientFactory({
    ...factoryOptions,
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
  });
  return runAlertTest(args, factory, (line) => io.stdout(`${line}\n`), stderrLogger(io));
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
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(`${MAIN_HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.stdout(`replguard ${VERSION}\n`);
      return 0;
    }
    if (command === 'alert') return await runAlert(rest, io, factoryOptions);
    if (command === 'backfill') {
      const args = parseBackfillArgs(rest);
      if (args === 'help') {
        io.stdout(`${BACKFILL_HELP}\n`);
        return 0;
      }
      const { runBackfill } = await import('./backfill.js');
      return await runBackfill(args, io, factoryOptions);
    }
    if (command === 'fix') {
      const args = parseFixArgs(rest);
      if (args === 'help') {
        io.stdout(`${FIX_HELP}\n`);
        return 0;
      }
      return await runFix(args, io, factoryOptions);
    }
    if (command !== 'scan') throw new UsageError(`unknown command "${command}" (try replguard --help)`);
    const args = parseScanArgs(rest);
    if (args === 'help') {
      io.stdout(`${SCAN_HELP}\n`);
      return 0;
    }
    return await runScan(args, io, factoryOptions);
  } catch (error) {
    const err = error as Error;
    io.stderr(`replguard: ${err.message.split('\n')[0] ?? 'error'}\n`);
    if (debug && err.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
};
