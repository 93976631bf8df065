import { parseArgs } from 'node:util';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';
import { parseScopeTag } from './args.js';
import { UsageError } from './errors.js';

export const FIX_FORMATS = ['text', 'json', 'sh'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

export interface FixArgs {
  readonly buckets: string[];
  readonly all: boolean;
  readonly format: FixFormat;
  readonly apply: boolean;
  readonly yes: boolean;
  /** Role assumed in other accounts to apply their steps (write permissions), when given. */
  readonly adminRoleName?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly debug: boolean;
  readonly parameters: ScanParameters;
}

export const FIX_HELP = `Usage: replguard fix (--bucket NAME ... | --all) [--format text|json|sh] [--apply [--yes]] [options]

Plans the fix of every failing rule: one merged change per resource (a policy gets one command with its whole
new document, existing statements kept), in dependency order, proven by re-evaluating the whole catalog with
every change applied before it is printed. Dry run unless --apply.

Options:
  --bucket NAME            source bucket to fix (repeatable)
  --all                    every in-scope bucket of the account
  --format FORMAT          text (default), json, or sh (a bash script: set -euo pipefail, a comment per step)
  --apply                  show the plan, ask for confirmation, apply it through the AWS SDK, scan again and
                           print before and after (every change is logged to stderr)
  --yes                    apply without asking (non-interactive runs)
  --admin-role-name NAME   role to assume in other accounts to apply their steps (without it, steps in other
                           accounts are refused and nothing is applied)
  --region REGION          default Region for API calls (else AWS_REGION, else us-east-1)
  --endpoint-url URL       send every AWS call to this endpoint (e.g. an emulator)
  --scope-tag KEY=VALUE    tag that puts a bucket in scope (default DataClassification=PHI)
  --require-rtc            require S3 Replication Time Control on every rule
  --allow-same-region      do not require destinations in another Region
  --cross-account-role NAME  read-only role assumed in destination accounts (default ReplGuardReadOnly)
  --debug                  print stack traces on errors
  -h, --help               show this help

ReplGuard never weakens a control: it does not remove a TLS-only deny, encryption or Object Lock, and narrows
a deny only to spare the replication role. What it cannot decide for you is printed as a decision.
Exit status: 0 nothing to fix (or applied and passing), 1 failures remain, 2 usage error, unreadable data
or a refused step.`;

/** Parses `replguard fix` arguments; throws UsageError with a one-line reason. */
export const parseFixArgs = (argv: readonly string[]): FixArgs | 'help' => {
  let v;
  try {
    v = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        bucket: { type: 'string', multiple: true },
        all: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        apply: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        'admin-role-name': { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        'scope-tag': { type: 'string' },
        'require-rtc': { type: 'boolean', default: false },
        'allow-same-region': { type: 'boolean', default: false },
        'cross-account-role': { type: 'string' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (v.help) return 'help';
  const buckets = v.bucket ?? [];
  if (buckets.length === 0 && !v.all) throw new UsageError('fix needs --bucket NAME or --all');
  if (!(FIX_FORMATS as readonly string[]).includes(v.format))
    throw new UsageError(`--format must be one of ${FIX_FORMATS.join(', ')}, got "${v.format}"`);
  if (v.yes && !v.apply) throw new UsageError('--yes only goes with --apply');
  if (v.apply && v.format !== 'text') throw new UsageError('--apply prints text: leave out --format');
  return {
    buckets,
    all: v.all,
    format: v.format as FixFormat,
    apply: v.apply,
    yes: v.yes,
    ...(v['admin-role-name'] ? { adminRoleName: v['admin-role-name'] } : {}),
    ...(v.region ? { region: v.region } : {}),
    ...(v['endpoint-url'] ? { endpointUrl: v['endpoint-url'] } : {}),
    debug: v.debug,
    parameters: {
      scopeTag: parseScopeTag(v['scope-tag']),
      requireCrossRegion: !v['allow-same-region'],
      requireRtc: v['require-rtc'],
      crossAccountRoleName: v['cross-account-role'] ?? DEFAULT_PARAMETERS.crossAccountRoleName,
    },
  };
};
