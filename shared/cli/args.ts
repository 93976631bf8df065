import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';
import { SEVERITY_ORDER, type Severity } from '../rules/types.js';
import { SINKS, type SinkSettings } from '../publish/sinks/index.js';
import { listOf } from '../runtime/config.js';
import { UsageError } from './errors.js';
import {
  arnKindOf,
  checkArn,
  checkBucketName,
  checkRoleName,
  checkSeverities,
  COMMON_HELP,
  COMMON_OPTIONS,
  commonArgsOf,
  type CommonArgs,
  parseOptions,
} from './flags.js';

export const FORMATS = ['table', 'json', 'sarif', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanArgs extends CommonArgs {
  readonly buckets: string[];
  readonly all: boolean;
  readonly format: Format;
  /** Only NON_COMPLIANT and UNKNOWN results in the output (the exit status is the same). */
  readonly quiet: boolean;
  readonly failOn?: Severity;
  readonly parameters: ScanParameters;
  readonly publish: boolean;
  /** The sinks' settings given as flags (`--topic-arn`, `--chat-topic-arn`, … from the sink registry). */
  readonly sinks: Partial<SinkSettings>;
  /** Where the risk exceptions are: an SSM parameter or a local file. */
  readonly exceptions?: { readonly parameter: string } | { readonly file: string };
  readonly topicArn?: string;
}

/** The sinks' CLI flags, from the registry: a new sink's flag needs no change here. */
const SINK_FLAGS = SINKS.flatMap((d) => (d.settings ?? []).filter((s) => s.flag));

const sinkHelp = SINK_FLAGS.map(
  (s) => `  --${`${s.flag} ${s.kind === 'list' ? 'LIST' : 'ARN'}`.padEnd(23)}${s.help}`,
).join('\n');

export const SCAN_HELP = `Usage: replguard scan (--bucket NAME ... | --all) [options]

Evaluates the whole replication path of S3 buckets against ReplGuard's HIPAA rules.

Options:
  --bucket NAME            source bucket to scan (repeatable)
  --all                    scan every in-scope bucket of the account (replicated or carrying the scope tag)
  --format FORMAT          table (default), json, sarif (GitHub code scanning) or ocsf (OCSF 1.5.0
                           Compliance Findings, a JSON array); --output FORMAT is the same (as in the AWS CLI)
  --quiet                  list only NON_COMPLIANT and UNKNOWN results (the exit status is the same)
  --fail-on SEVERITY       exit 1 only for failures at or above SEVERITY (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL)
  --scope-tag KEY=VALUE    tag that puts a bucket in scope (default DataClassification=PHI)
  --require-rtc            require S3 Replication Time Control on every rule
  --allow-same-region      do not require destinations in another Region
  --cross-account-role NAME  role assumed in destination accounts (default ReplGuardReadOnly)
  --exceptions-parameter NAME  apply the risk exceptions in this SSM parameter (docs/findings.md)
  --exceptions-file PATH   apply the risk exceptions in this JSON file
  --publish                publish findings to Security Hub (and to the sinks below; their
                           REPLGUARD_* environment variables are read too)
${sinkHelp}
${COMMON_HELP}

Credentials come from --profile, else the standard AWS chain (environment, AWS_PROFILE, SSO, instance role).
Exit status: 0 nothing failing, 1 something NON_COMPLIANT or UNKNOWN, 2 usage or runtime error.`;

export const parseScopeTag = (raw: string | undefined): ScanParameters['scopeTag'] => {
  if (raw === undefined) return DEFAULT_PARAMETERS.scopeTag;
  const at = raw.indexOf('=');
  if (at <= 0) throw new UsageError(`--scope-tag must be KEY=VALUE, got "${raw}"`);
  return { key: raw.slice(0, at), value: raw.slice(at + 1) };
};

/** `--format` and its AWS CLI spelling `--output`: one of them, or both saying the same. */
export const formatOf = <F extends string>(
  formats: readonly F[],
  format: string | undefined,
  output: string | undefined,
  fallback: F,
): F => {
  if (format !== undefined && output !== undefined && format !== output)
    throw new UsageError(`--format ${format} and --output ${output} disagree: give one of them`);
  const chosen = format ?? output ?? fallback;
  if (!(formats as readonly string[]).includes(chosen))
    throw new UsageError(
      `--${format !== undefined ? 'format' : 'output'} must be one of ${formats.join(', ')}, got "${chosen}"`,
    );
  return chosen as F;
};

const OPTIONS = {
  ...COMMON_OPTIONS,
  bucket: { type: 'string', multiple: true },
  all: { type: 'boolean', default: false },
  format: { type: 'string' },
  output: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  'fail-on': { type: 'string' },
  'scope-tag': { type: 'string' },
  'require-rtc': { type: 'boolean', default: false },
  'allow-same-region': { type: 'boolean', default: false },
  'cross-account-role': { type: 'string' },
  publish: { type: 'boolean', default: false },
  'exceptions-parameter': { type: 'string' },
  'exceptions-file': { type: 'string' },
} as const;

const exceptionsOf = (parameter: string | undefined, file: string | undefined) => {
  if (parameter !== undefined && file !== undefined)
    throw new UsageError('give --exceptions-parameter or --exceptions-file, not both');
  if (parameter !== undefined && !/^\/[\w.\-/]{1,1010}$/.test(parameter))
    throw new UsageError(
      `--exceptions-parameter must be an SSM parameter name starting with /, got "${parameter}"`,
    );
  if (parameter) return { exceptions: { parameter } };
  if (file !== undefined && file.trim() === '') throw new UsageError('--exceptions-file needs a path');
  return file ? { exceptions: { file } } : {};
};

/** The sinks' flags: each needs --publish, each ARN is checked by its kind, lists of severities by value. */
const sinksOf = (v: Readonly<Record<string, unknown>>, publish: boolean): Partial<SinkSettings> => {
  const sinks: Record<string, string | string[]> = {};
  for (const f of SINK_FLAGS) {
    const given = v[f.flag as string];
    if (typeof given !== 'string') continue;
    const flag = `--${f.flag}`;
    if (!publish) throw new UsageError(`${flag} needs --publish`);
    const kind = arnKindOf(f.flag as string);
    if (f.kind === 'list')
      sinks[f.key] = /severities$/.test(f.flag as string)
        ? checkSeverities(flag, listOf(given))
        : listOf(given);
    else sinks[f.key] = kind ? checkArn(flag, given, kind) : given;
  }
  return sinks as Partial<SinkSettings>;
};

/** Parses `replguard scan` arguments; throws UsageError with a one-line reason. */
export const parseScanArgs = (argv: readonly string[]): ScanArgs | 'help' => {
  const v = parseOptions(
    argv,
    {
      ...OPTIONS,
      ...Object.fromEntries(SINK_FLAGS.map((f) => [f.flag, { type: 'string' as const }])),
    },
    'scan',
  ) as ReturnType<typeof parseOptions<typeof OPTIONS>> & Readonly<Record<string, unknown>>;
  if (v.help) return 'help';
  const buckets = (v.bucket ?? []).map((b) => checkBucketName('--bucket', b));
  if (buckets.length === 0 && !v.all) throw new UsageError('scan needs --bucket NAME or --all');
  if (buckets.length > 0 && v.all) throw new UsageError('give --bucket NAME or --all, not both');
  const format = formatOf(FORMATS, v.format, v.output, 'table');
  const failOn = v['fail-on']?.toUpperCase();
  if (failOn !== undefined && !(SEVERITY_ORDER as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITY_ORDER.join(', ')}, got "${v['fail-on']}"`);
  }
  const sinks = sinksOf(v, v.publish === true);
  return {
    ...commonArgsOf(v),
    buckets,
    all: v.all === true,
    format,
    quiet: v.quiet === true,
    ...(failOn ? { failOn: failOn as Severity } : {}),
    publish: v.publish === true,
    sinks,
    ...exceptionsOf(v['exceptions-parameter'], v['exceptions-file']),
    ...(typeof sinks.topicArn === 'string' ? { topicArn: sinks.topicArn } : {}),
    parameters: {
      scopeTag: parseScopeTag(v['scope-tag']),
      requireCrossRegion: v['allow-same-region'] !== true,
      requireRtc: v['require-rtc'] === true,
      crossAccountRoleName:
        v['cross-account-role'] !== undefined
          ? checkRoleName('--cross-account-role', v['cross-account-role'])
          : DEFAULT_PARAMETERS.crossAccountRoleName,
    },
  };
};
