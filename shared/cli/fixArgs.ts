import type { ScanParameters } from '../model/snapshot.js';
import { formatOf, PARAMETER_OPTIONS, parametersOf } from './args.js';
import { UsageError } from './errors.js';
import {
  checkBucketName,
  checkRoleName,
  COMMON_HELP,
  COMMON_OPTIONS,
  commonArgsOf,
  type CommonArgs,
  parseOptions,
} from './flags.js';

export const FIX_FORMATS = ['text', 'json', 'sh'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

export interface FixArgs extends CommonArgs {
  readonly buckets: string[];
  readonly all: boolean;
  readonly format: FixFormat;
  readonly apply: boolean;
  readonly yes: boolean;
  /** Role assumed in other accounts to apply their steps (write permissions), when given. */
  readonly adminRoleName?: string;
  readonly parameters: ScanParameters;
}

export const FIX_HELP = `Usage: replguard fix (--bucket NAME ... | --all) [--format text|json|sh] [--apply [--yes]] [options]

Plans the fix of every failing rule: one merged change per resource (a policy gets one command with its whole
new document, existing statements kept), in dependency order, proven by re-evaluating the whole catalog with
every change applied before it is printed. Dry run unless --apply.

Options:
  --bucket NAME            source bucket to fix (repeatable)
  --all                    every in-scope bucket of the account
  --format FORMAT          text (default), json, or sh (a bash script: set -euo pipefail, a comment per step);
                           --output FORMAT is the same
  --apply                  show the plan, ask for confirmation, apply it through the AWS SDK, scan again and
                           print before and after (every change is logged to stderr)
  --yes                    apply without asking (non-interactive runs)
  --admin-role-name NAME   role to assume in other accounts to apply their steps (without it, steps in other
                           accounts are refused and nothing is applied)
  --scope-tag KEY=VALUE    tag that puts a bucket in scope (default DataClassification=PHI)
  --require-rtc            require S3 Replication Time Control on every rule
  --allow-same-region      do not require destinations in another Region
  --cross-account-role NAME  read-only role assumed in destination accounts (default ReplGuardReadOnly)
${COMMON_HELP}

ReplGuard never weakens a control: it does not remove a TLS-only deny, encryption or Object Lock, and narrows
a deny only to spare the replication role. What it cannot decide for you is printed as a decision.
Exit status: 0 nothing to fix (or applied and passing), 1 failures remain, 2 usage error, unreadable data
or a refused step.`;

/** Parses `replguard fix` arguments; throws UsageError with a one-line reason. */
export const parseFixArgs = (argv: readonly string[]): FixArgs | 'help' => {
  const v = parseOptions(
    argv,
    {
      ...COMMON_OPTIONS,
      bucket: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      format: { type: 'string' },
      output: { type: 'string' },
      apply: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'admin-role-name': { type: 'string' },
      ...PARAMETER_OPTIONS,
    },
    'fix',
  );
  if (v.help) return 'help';
  const buckets = (v.bucket ?? []).map((b) => checkBucketName('--bucket', b));
  if (buckets.length === 0 && !v.all) throw new UsageError('fix needs --bucket NAME or --all');
  if (buckets.length > 0 && v.all) throw new UsageError('give --bucket NAME or --all, not both');
  const format = formatOf(FIX_FORMATS, v.format, v.output, 'text');
  if (v.yes && !v.apply) throw new UsageError('--yes only goes with --apply');
  if (v.apply && format !== 'text') throw new UsageError('--apply prints text: leave out --format');
  return {
    ...commonArgsOf(v),
    buckets,
    all: v.all === true,
    format,
    apply: v.apply === true,
    yes: v.yes === true,
    ...(v['admin-role-name'] !== undefined
      ? { adminRoleName: checkRoleName('--admin-role-name', v['admin-role-name']) }
      : {}),
    parameters: parametersOf(v),
  };
};
