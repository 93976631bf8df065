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
  checkRegion,
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
  /** `--org`: every ACTIVE account of the Organization (or those of `--accounts`), through the member role. */
  readonly org?: { readonly accounts?: readonly string[]; readonly concurrency: number };
  /** `--regions`: only buckets in these Regions (`--all`, `--org`). */
  readonly regions?: readonly string[];
}

/** The sinks' CLI flags, from the registry: a new sink's flag needs no change here. */
const SINK_FLAGS = SINKS.flatMap((d) => (d.settings ?? []).filter((s) => s.flag));

const sinkHelp = SINK_FLAGS.map(
  (s) => `  --${`${s.flag} ${s.kind === 'list' ? 'LIST' : 'ARN'}`.padEnd(23)}${s.help}`,
).join('\n');

export const SCAN_HELP = `Usage: replguard scan (--bucket NAME ... | --all | --org) [options]

Evaluates the whole replication path of S3 buckets against ReplGuard's HIPAA rules.

Options:
  --bucket NAME            source bucket to scan (repeatable)
  --all                    scan every in-scope bucket of the account (replicated or carrying the scope tag)
  --org                    scan every in-scope bucket of every ACTIVE account of the Organization (run from the
                           management or a delegated administrator account; each account is read through
                           --cross-account-role, deployed by infra/member-account.yml)
  --accounts ID,...        with --org: only these accounts
  --regions R,...          with --all or --org: only buckets in these Regions
  --concurrency N          with --org: accounts scanned at once (default 4)
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

/** The scan parameters' flags, shared by the commands that scan (scan, fix, report). */
export const PARAMETER_OPTIONS = {
  'scope-tag': { type: 'string' },
  'require-rtc': { type: 'boolean', default: false },
  'allow-same-region': { type: 'boolean', default: false },
  'cross-account-role': { type: 'string' },
} as const;

/** The scan parameters from their flags (`PARAMETER_OPTIONS`), each checked. */
export const parametersOf = (v: {
  readonly 'scope-tag'?: string;
  readonly 'require-rtc'?: boolean;
  readonly 'allow-same-region'?: boolean;
  readonly 'cross-account-role'?: string;
}): ScanParameters => ({
  scopeTag: parseScopeTag(v['scope-tag']),
  requireCrossRegion: v['allow-same-region'] !== true,
  requireRtc: v['require-rtc'] === true,
  crossAccountRoleName:
    v['cross-account-role'] !== undefined
      ? checkRoleName('--cross-account-role', v['cross-account-role'])
      : DEFAULT_PARAMETERS.crossAccountRoleName,
});

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
  org: { type: 'boolean', default: false },
  accounts: { type: 'string' },
  regions: { type: 'string' },
  concurrency: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  'fail-on': { type: 'string' },
  ...PARAMETER_OPTIONS,
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

const ACCOUNT = /^\d{12}$/;

/** `--org`, `--accounts`, `--regions`, `--concurrency`: checked before any AWS call. */
const orgOf = (v: {
  org?: boolean;
  all?: boolean;
  accounts?: string;
  regions?: string;
  concurrency?: string;
}): Pick<ScanArgs, 'org' | 'regions'> => {
  const list = (raw: string | undefined) =>
    raw === undefined
      ? undefined
      : raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const accounts = list(v.accounts);
  const regions = list(v.regions)?.map((r) => checkRegion('--regions', r));
  if (!v.org) {
    if (accounts || v.concurrency !== undefined)
      throw new UsageError('--accounts and --concurrency go with --org');
    if (regions && !v.all) throw new UsageError('--regions goes with --all or --org');
    return regions ? { regions } : {};
  }
  const bad = (accounts ?? []).filter((a) => !ACCOUNT.test(a));
  if (bad.length > 0 || accounts?.length === 0)
    throw new UsageError(`--accounts takes 12-digit account ids, comma-separated, not "${bad.join(',')}"`);
  const concurrency = v.concurrency === undefined ? 4 : Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${v.concurrency}"`);
  return { org: { ...(accounts ? { accounts } : {}), concurrency }, ...(regions ? { regions } : {}) };
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
  if ([buckets.length > 0, v.all === true, v.org === true].filter(Boolean).length !== 1)
    throw new UsageError(
      buckets.length === 0 && !v.all && !v.org
        ? 'scan needs --bucket NAME, --all or --org'
        : 'give one of --bucket NAME, --all or --org',
    );
  const format = formatOf(FORMATS, v.format, v.output, 'table');
  const scope = orgOf(v);
  if (scope.org && v.publish === true)
    throw new UsageError(
      '--org scans cannot be published yet: publish from each account (replguard scan --all --publish)',
    );
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
    ...scope,
    ...(failOn ? { failOn: failOn as Severity } : {}),
    publish: v.publish === true,
    sinks,
    ...exceptionsOf(v['exceptions-parameter'], v['exceptions-file']),
    ...(typeof sinks.topicArn === 'string' ? { topicArn: sinks.topicArn } : {}),
    parameters: parametersOf(v),
  };
};
