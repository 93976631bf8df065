import { DEFAULT_STATUSES, parseStatuses } from '../backfill/request.js';
import type { BackfillStatus } from '../model/fix.js';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';
import { UsageError } from './errors.js';
import {
  checkArn,
  checkBucketName,
  checkRoleName,
  COMMON_HELP,
  COMMON_OPTIONS,
  commonArgsOf,
  type CommonArgs,
  parseOptions,
} from './flags.js';

export interface BackfillArgs extends CommonArgs {
  readonly bucket: string;
  readonly statuses: readonly BackfillStatus[];
  readonly ruleId?: string;
  readonly reportBucket?: string;
  readonly roleArn?: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly force: boolean;
  readonly pollSeconds: number;
  readonly timeoutMinutes: number;
  readonly parameters: ScanParameters;
}

export const BACKFILL_HELP = `Usage: replguard backfill --bucket NAME [--statuses FAILED,NONE] [--rule ID] [--report-bucket NAME]
                          [--dry-run] [--yes] [--force] [options]

Copies the objects live replication left behind (FAILED, or never replicated: written before the rule) with
an S3 Batch Replication job: S3 Control CreateJob with a manifest S3 generates from the bucket, filtered by
replication status (and the rule's prefix), and a completion report of the failed tasks. Prints the job id,
follows DescribeJob with a progress bar and ends with the completion report's summary (counts and error
codes, never object keys).

It refuses while a rule that stops replication (role, keys, bucket policy, versioning, ...) fails on the
bucket: the job would fail the same objects again. Run replguard fix first, or --force.

Options:
  --bucket NAME            source bucket (its replication configuration decides where objects go)
  --statuses LIST          replication statuses to copy: FAILED, NONE (never replicated), COMPLETED, REPLICA
                           (default FAILED,NONE)
  --rule ID                only the objects of this replication rule (its prefix)
  --report-bucket NAME     bucket for the completion report (job-<id>/ under replguard-backfill/); without it,
                           no report is written and the summary is DescribeJob's counts
  --role-arn ARN           Batch Operations role (default arn:aws:iam::<account>:role/ReplGuardBatchReplication,
                           from infra/batch-replication-role.yml)
  --dry-run                print the CreateJob request as JSON and start nothing (the default without a
                           terminal and without --yes)
  --yes                    start without asking
  --force                  start although blocking rules fail
  --poll-seconds N         DescribeJob interval (default 5)
  --timeout-minutes N      stop following after N minutes; the job goes on (default 60)
  --cross-account-role NAME  read-only role assumed in destination accounts (default ReplGuardReadOnly)
${COMMON_HELP}

Exit status: 0 job complete with no failed task (or dry run), 1 refused, not confirmed, or tasks failed,
2 usage or runtime error.`;

const positive = (raw: string, flag: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${raw}"`);
  return n;
};

/** Parses `replguard backfill` arguments; throws UsageError with a one-line reason. */
export const parseBackfillArgs = (argv: readonly string[]): BackfillArgs | 'help' => {
  const v = parseOptions(
    argv,
    {
      ...COMMON_OPTIONS,
      bucket: { type: 'string' },
      statuses: { type: 'string' },
      rule: { type: 'string' },
      'report-bucket': { type: 'string' },
      'role-arn': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'poll-seconds': { type: 'string', default: '5' },
      'timeout-minutes': { type: 'string', default: '60' },
      'cross-account-role': { type: 'string' },
    },
    'backfill',
  );
  if (v.help) return 'help';
  if (v.bucket === undefined) throw new UsageError('backfill needs --bucket NAME');
  const bucket = checkBucketName('--bucket', v.bucket);
  if (v.rule !== undefined && v.rule.trim() === '')
    throw new UsageError('--rule needs the id of a replication rule of the bucket');
  if (v['dry-run'] && v.yes) throw new UsageError('--dry-run and --yes contradict each other');
  let statuses: BackfillStatus[] = [...DEFAULT_STATUSES];
  try {
    if (v.statuses !== undefined) statuses = parseStatuses(v.statuses);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    ...commonArgsOf(v),
    bucket,
    statuses,
    ...(v.rule ? { ruleId: v.rule } : {}),
    ...(v['report-bucket'] !== undefined
      ? { reportBucket: checkBucketName('--report-bucket', v['report-bucket']) }
      : {}),
    ...(v['role-arn'] !== undefined ? { roleArn: checkArn('--role-arn', v['role-arn'], 'iamRole') } : {}),
    dryRun: v['dry-run'] === true,
    yes: v.yes === true,
    force: v.force === true,
    pollSeconds: positive(v['poll-seconds'] ?? '5', '--poll-seconds'),
    timeoutMinutes: positive(v['timeout-minutes'] ?? '60', '--timeout-minutes'),
    parameters: {
      ...DEFAULT_PARAMETERS,
      crossAccountRoleName:
        v['cross-account-role'] !== undefined
          ? checkRoleName('--cross-account-role', v['cross-account-role'])
          : DEFAULT_PARAMETERS.crossAccountRoleName,
    },
  };
};
