/**
 * `replguard report --format html`: scans as `replguard fix` does and writes one self-contained HTML evidence
 * file (shared/report): summary, each replication pair drawn hop by hop, findings by cause with their fixes,
 * the HIPAA matrix. Exit 0 once written, whatever it found: the report is evidence, not a gate.
 */
import { writeFile } from 'node:fs/promises';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clientFactory.js';
import { resolveRegion } from '../aws/region.js';
import { ScanSession } from '../collect/session.js';
import { scan } from '../engine/scan.js';
import type { ScanParameters } from '../model/snapshot.js';
import { buildReportModel } from '../report/build.js';
import { renderReport } from '../report/html.js';
import { VERSION } from '../version.js';
import { formatOf, PARAMETER_OPTIONS, parametersOf } from './args.js';
import { UsageError } from './errors.js';
import type { FixIo } from './fix.js';
import {
  checkBucketName,
  checkOutputFile,
  COMMON_HELP,
  COMMON_OPTIONS,
  commonArgsOf,
  type CommonArgs,
  parseOptions,
} from './flags.js';

export const REPORT_FORMATS = ['html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `replguard report` arguments; `outputFile` (-o) is where the report goes, stdout when absent. */
export interface ReportArgs extends CommonArgs {
  readonly buckets: string[];
  readonly all: boolean;
  readonly format: ReportFormat;
  readonly parameters: ScanParameters;
}

export type ReportIo = FixIo;

export const REPORT_HELP = `Usage: replguard report (--bucket NAME ... | --all) [--format html] [-o PATH] [options]

Scans buckets and writes one self-contained HTML evidence file for auditors and architects: a summary, each
replication pair drawn as source -> role -> keys -> destination (each hop coloured by the status of the rules
that judge it), the findings grouped by cause with the commands that fix them, and a HIPAA matrix (citation x
rule x status), with the generation time, account, Region and ReplGuard version. It loads nothing from any
network, prints on A4, and every object key in it is hashed.

Options:
  --bucket NAME            source bucket to report on (repeatable)
  --all                    every in-scope bucket of the account
  --org                    every account of the AWS Organization: not yet available (run --all in each account)
  --format FORMAT          html (the default, and the only format for now); --output FORMAT is the same
  --scope-tag KEY=VALUE    tag that puts a bucket in scope (default DataClassification=PHI)
  --require-rtc            require S3 Replication Time Control on every rule
  --allow-same-region      do not require destinations in another Region
  --cross-account-role NAME  read-only role assumed in destination accounts (default ReplGuardReadOnly)
${COMMON_HELP}

Exit status: 0 the report was written (even when rules fail: it is the evidence), 2 usage error, a named
bucket that could not be scanned (the report lists it), or a runtime error.`;

/** Parses `replguard report` arguments; throws UsageError with a one-line reason. */
export const parseReportArgs = (argv: readonly string[]): ReportArgs | 'help' => {
  const v = parseOptions(
    argv,
    {
      ...COMMON_OPTIONS,
      bucket: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      org: { type: 'boolean', default: false },
      format: { type: 'string' },
      output: { type: 'string' },
      ...PARAMETER_OPTIONS,
    },
    'report',
  );
  if (v.help) return 'help';
  if (v.org)
    throw new UsageError(
      '--org is not yet available: run replguard report --all with credentials of each account',
    );
  const buckets = (v.bucket ?? []).map((b) => checkBucketName('--bucket', b));
  if (buckets.length === 0 && !v.all) throw new UsageError('report needs --bucket NAME or --all');
  if (buckets.length > 0 && v.all) throw new UsageError('give --bucket NAME or --all, not both');
  return {
    ...commonArgsOf(v),
    buckets,
    all: v.all === true,
    format: formatOf(REPORT_FORMATS, v.format, v.output, 'html'),
    parameters: parametersOf(v),
  };
};

/**
 * Runs `replguard report`: applies its own common flags (`--profile`, `--region` resolved as the SDK does,
 * `--endpoint-url`) and writes `-o PATH` itself, so it needs no wrapper; returns the exit status.
 */
export const runReport = async (
  args: ReportArgs,
  io: ReportIo,
  factoryOptions: ClientFactoryOptions,
): Promise<number> => {
  // Refuse a path that cannot be written before a long scan, not after it.
  if (args.outputFile) await checkOutputFile(args.outputFile);
  const region = await resolveRegion({
    ...((args.region ?? factoryOptions.region) ? { region: args.region ?? factoryOptions.region } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
  });
  const factory = new ClientFactory({
    ...factoryOptions,
    region,
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
    crossAccountRoleName: args.parameters.crossAccountRoleName,
  });
  const report = await scan(new ScanSession(factory, args.parameters), {
    buckets: args.buckets,
    all: args.all,
  });
  const model = buildReportModel({
    accountId: report.accountId,
    region: factory.region,
    generatedAt: new Date(),
    version: VERSION,
    target: { buckets: args.buckets, all: args.all },
    parameters: args.parameters,
    results: report.results,
    snapshots: report.snapshots,
    steps: report.judged.plan.steps,
    caveats: report.judged.plan.caveats,
    errors: report.errors,
  });
  const html = renderReport(model);
  for (const e of report.errors) io.stderr(`replguard: ${e.bucket}: ${e.message}\n`);
  if (args.outputFile) {
    try {
      await writeFile(args.outputFile, html, 'utf8');
    } catch (error) {
      io.stderr(`replguard: cannot write the report to ${args.outputFile}: ${(error as Error).message}\n`);
      return 2;
    }
    const s = model.summary;
    io.stderr(
      `replguard: report written to ${args.outputFile}: ${s.verdict}, ${s.pairs} pair${s.pairs === 1 ? '' : 's'}, ${s.byStatus.NON_COMPLIANT} failing, ${s.byStatus.UNKNOWN} unknown\n`,
    );
  } else io.stdout(html);
  return report.errors.length > 0 ? 2 : 0;
};
