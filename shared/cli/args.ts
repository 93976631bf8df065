import { parseArgs } from 'node:util';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';
import { SEVERITY_ORDER, type Severity } from '../rules/types.js';
import { SINKS, type SinkSettings } from '../publish/sinks/index.js';
import { listOf } from '../runtime/config.js';
import { UsageError } from './errors.js';

export const FORMATS = ['table', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanArgs {
  readonly buckets: string[];
  readonly all: boolean;
  readonly format: Format;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly failOn?: Severity;
  readonly debug: boolean;
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

const sinkHelp = SINK_FLAGS.map((s) => `  --${`${s.flag} ARN`.padEnd(23)}${s.help}`).join('\n');

export const SCAN_HELP = `Usage: replguard scan (--bucket NAME ... | --all) [options]

Evaluates the whole replication path of S3 buckets against ReplGuard's HIPAA rules.

Options:
  --bucket NAME            source bucket to scan (repeatable)
  --all                    scan every in-scope bucket of the account (replicated or carrying the scope tag)
  --format FORMAT          table (default), json or sarif
  --region REGION          default Region for API calls (else AWS_REGION, else us-east-1)
  --endpoint-url URL       send every AWS call to this endpoint (e.g. an emulator)
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
  --debug                  print stack traces on errors
  -h, --help               show this help

Credentials come from the standard AWS chain (environment, AWS_PROFILE, SSO, instance role).
Exit status: 0 nothing failing, 1 something NON_COMPLIANT or UNKNOWN, 2 usage or runtime error.`;

export const parseScopeTag = (raw: string | undefined): ScanParameters['scopeTag'] => {
  if (raw === undefined) return DEFAULT_PARAMETERS.scopeTag;
  const at = raw.indexOf('=');
  if (at <= 0) throw new UsageError(`--scope-tag must be KEY=VALUE, got "${raw}"`);
  return { key: raw.slice(0, at), value: raw.slice(at + 1) };
};

const OPTIONS = {
  bucket: { type: 'string', multiple: true },
  all: { type: 'boolean', default: false },
  format: { type: 'string', default: 'table' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'fail-on': { type: 'string' },
  'scope-tag': { type: 'string' },
  'require-rtc': { type: 'boolean', default: false },
  'allow-same-region': { type: 'boolean', default: false },
  'cross-account-role': { type: 'string' },
  publish: { type: 'boolean', default: false },
  'exceptions-parameter': { type: 'string' },
  'exceptions-file': { type: 'string' },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The parsed values of OPTIONS (the sinks' flags come on top, as strings). */
type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'] &
  Readonly<Record<string, unknown>>;

const exceptionsOf = (parameter: string | undefined, file: string | undefined) => {
  if (parameter !== undefined && file !== undefined)
    throw new UsageError('give --exceptions-parameter or --exceptions-file, not both');
  if (parameter !== undefined && !parameter.startsWith('/'))
    throw new UsageError(
      `--exceptions-parameter must be an SSM parameter name starting with /, got "${parameter}"`,
    );
  if (parameter) return { exceptions: { parameter } };
  if (file !== undefined && file.trim() === '') throw new UsageError('--exceptions-file needs a path');
  return file ? { exceptions: { file } } : {};
};

/** Parses `replguard scan` arguments; throws UsageError with a one-line reason. */
export const parseScanArgs = (argv: readonly string[]): ScanArgs | 'help' => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...OPTIONS,
        ...Object.fromEntries(SINK_FLAGS.map((f) => [f.flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values as Values;
  if (v.help) return 'help';
  const buckets = v.bucket ?? [];
  if (buckets.length === 0 && !v.all) throw new UsageError('scan needs --bucket NAME or --all');
  if (!(FORMATS as readonly string[]).includes(v.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${v.format}"`);
  }
  const failOn = v['fail-on']?.toUpperCase();
  if (failOn !== undefined && !(SEVERITY_ORDER as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITY_ORDER.join(', ')}, got "${v['fail-on']}"`);
  }
  const sinks: Record<string, string | string[]> = {};
  for (const f of SINK_FLAGS) {
    const given = v[f.flag as string];
    if (typeof given !== 'string') continue;
    if (!v.publish) throw new UsageError(`--${f.flag} needs --publish`);
    sinks[f.key] = f.kind === 'list' ? listOf(given) : given;
  }
  return {
    buckets,
    all: v.all,
    format: v.format as Format,
    ...(v.region ? { region: v.region } : {}),
    ...(v['endpoint-url'] ? { endpointUrl: v['endpoint-url'] } : {}),
    ...(failOn ? { failOn: failOn as Severity } : {}),
    debug: v.debug,
    publish: v.publish,
    sinks: sinks as Partial<SinkSettings>,
    ...exceptionsOf(v['exceptions-parameter'], v['exceptions-file']),
    ...(typeof sinks.topicArn === 'string' ? { topicArn: sinks.topicArn } : {}),
    parameters: {
      scopeTag: parseScopeTag(v['scope-tag']),
      requireCrossRegion: !v['allow-same-region'],
      requireRtc: v['require-rtc'],
      crossAccountRoleName: v['cross-account-role'] ?? DEFAULT_PARAMETERS.crossAccountRoleName,
    },
  };
};
