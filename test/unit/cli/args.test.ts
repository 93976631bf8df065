/** What `replguard scan`, `fix`, `backfill` and `alert test` accept, and the one line they answer bad input with. */
import { describe, expect, it } from 'vitest';
import { parseAlertTestArgs } from '../../../shared/cli/alertTest.js';
import { parseScanArgs, type ScanArgs } from '../../../shared/cli/args.js';
import { parseBackfillArgs } from '../../../shared/cli/backfillArgs.js';
import { UsageError } from '../../../shared/cli/errors.js';
import { parseFixArgs } from '../../../shared/cli/fixArgs.js';
import { useColor } from '../../../shared/cli/flags.js';

const scan = (...argv: string[]) => parseScanArgs(argv) as ScanArgs;
const refusal = (parse: () => unknown): string => {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('replguard scan arguments', () => {
  it('takes the AWS CLI habits: --profile, --region, --output as --format, -o, --quiet, --no-color', () => {
    expect(
      scan(
        '--bucket',
        'phi-prod',
        '--profile',
        'phi-eu',
        '--region',
        'eu-west-1',
        '--output',
        'json',
        '-o',
        'out.json',
        '--quiet',
        '--no-color',
      ),
    ).toMatchObject({
      buckets: ['phi-prod'],
      profile: 'phi-eu',
      region: 'eu-west-1',
      format: 'json',
      outputFile: 'out.json',
      quiet: true,
      color: false,
    });
  });

  it('defaults to a coloured table of every result, with the Region left to the SDK', () => {
    const args = scan('--all');
    expect(args).toMatchObject({ all: true, format: 'table', quiet: false, color: true, debug: false });
    expect(args).not.toHaveProperty('region');
    expect(args).not.toHaveProperty('profile');
  });

  it.each(['table', 'json', 'sarif', 'ocsf'])('accepts --format %s and --output %s', (format) => {
    expect(scan('--all', '--format', format).format).toBe(format);
    expect(scan('--all', '--output', format).format).toBe(format);
  });

  it.each<[string[], RegExp]>([
    [
      ['--bucket', ''],
      /^--bucket must be an S3 bucket name \(3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit\), got an empty name$/,
    ],
    [['--bucket', 'phi prod'], /^--bucket must be an S3 bucket name .*got "phi prod"$/],
    [
      ['--bucket', 'arn:aws:s3:::phi-prod'],
      /^--bucket takes a bucket name, not a URL or ARN: give --bucket phi-prod$/,
    ],
    [['--bucket', 's3://phi-prod/key'], /give --bucket phi-prod$/],
    [
      ['--bucket', 'x', '--publish', '--topic-arn', 'not-an-arn'],
      /^--topic-arn must be an SNS topic ARN \(arn:aws:sns:REGION:ACCOUNT:TOPIC\), got "not-an-arn"$/,
    ],
    [
      ['--bucket', 'x', '--publish', '--chat-topic-arn', 'arn:aws:sqs:us-east-1:111122223333:q'],
      /^--chat-topic-arn must be an SNS topic ARN/,
    ],
    [
      ['--bucket', 'x', '--publish', '--pagerduty-secret-arn', 'routing-key'],
      /^--pagerduty-secret-arn must be a Secrets Manager secret ARN/,
    ],
    [
      ['--bucket', 'x', '--publish', '--backfill-role-arn', 'ReplGuardBatch'],
      /^--backfill-role-arn must be an IAM role ARN/,
    ],
    [
      ['--bucket', 'x', '--publish', '--pagerduty-severities', 'CRITICAL,URGENT'],
      /^--pagerduty-severities must list severities among CRITICAL, HIGH/,
    ],
    [
      ['--bucket', 'x', '--topic-arn', 'arn:aws:sns:us-east-1:111122223333:t'],
      /^--topic-arn needs --publish$/,
    ],
    [
      ['--bucket', 'x', '--region', 'us-east-1a'],
      /^--region must be a Region code such as us-east-1 or eu-west-1, got "us-east-1a" \(an Availability Zone: give us-east-1\)$/,
    ],
    [['--bucket', 'x', '--region', 'Frankfurt'], /^--region must be a Region code/],
    [
      ['--bucket', 'x', '--endpoint-url', 'localhost:4566'],
      /^--endpoint-url must be an http:\/\/ or https:\/\/ URL/,
    ],
    [['--bucket', 'x', '--profile', ' '], /^--profile needs a profile name/],
    [['--bucket', 'x', '--output-file', ''], /^--output-file needs a path$/],
    [
      ['--bucket', 'x', '--cross-account-role', 'arn:aws:iam::111122223333:role/R'],
      /^--cross-account-role must be an IAM role name/,
    ],
    [['--bucket', 'x', '--format', 'xml'], /^--format must be one of table, json, sarif, ocsf, got "xml"$/],
    [['--bucket', 'x', '--output', 'text'], /^--output must be one of table, json, sarif, ocsf, got "text"$/],
    [
      ['--bucket', 'x', '--format', 'json', '--output', 'sarif'],
      /^--format json and --output sarif disagree/,
    ],
    [
      ['--bucket', 'x', '--fail-on', 'URGENT'],
      /^--fail-on must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL/,
    ],
    [
      ['--bucket', 'x', '--exceptions-parameter', 'risk'],
      /^--exceptions-parameter must be an SSM parameter name starting with \//,
    ],
    [['--bucket', 'x', '--all'], /^give one of --bucket NAME, --all or --org$/],
    [[], /^scan needs --bucket NAME, --all or --org$/],
    [['--bucket'], /^--bucket needs a value \(replguard scan --help\)$/],
    [['--bucket', '--all'], /^--bucket needs a value, and got another option instead/],
    [['--buckets', 'x'], /^unknown option --buckets \(replguard scan --help\)$/],
    [['--bucket', 'x', 'y'], /^unexpected argument "y": every value follows its option/],
  ])('refuses %j: %s', (argv, expected) => {
    expect(refusal(() => parseScanArgs(argv))).toMatch(expected);
  });

  it('accepts the flags of the sinks with --publish, checked', () => {
    expect(
      scan(
        '--bucket',
        'x',
        '--publish',
        '--topic-arn',
        'arn:aws:sns:eu-west-1:111122223333:replguard-findings',
        '--pagerduty-severities',
        'critical,high',
      ).sinks,
    ).toEqual({
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:replguard-findings',
      pagerDutySeverities: ['CRITICAL', 'HIGH'],
    });
  });

  it('accepts the bucket names us-east-1 allowed before 2018 (capitals, underscores)', () => {
    expect(scan('--bucket', 'Legacy_PHI_Bucket').buckets).toEqual(['Legacy_PHI_Bucket']);
  });
});

describe('the other commands take the same common flags and checks', () => {
  it('fix: --profile, --region, --output sh, -o', () => {
    expect(
      parseFixArgs([
        '--bucket',
        'phi-prod',
        '--profile',
        'p',
        '--region',
        'eu-west-1',
        '--output',
        'sh',
        '-o',
        'fix.sh',
      ]),
    ).toMatchObject({ profile: 'p', region: 'eu-west-1', format: 'sh', outputFile: 'fix.sh' });
    expect(refusal(() => parseFixArgs(['--bucket', '']))).toMatch(/^--bucket must be an S3 bucket name/);
    expect(refusal(() => parseFixArgs(['--all', '--admin-role-name', 'arn:aws:iam::1:role/x']))).toMatch(
      /^--admin-role-name must be an IAM role name/,
    );
  });

  it('backfill: --profile, -o, and checked bucket names and role ARN', () => {
    expect(parseBackfillArgs(['--bucket', 'phi-prod', '--profile', 'p', '-o', 'job.json'])).toMatchObject({
      bucket: 'phi-prod',
      profile: 'p',
      outputFile: 'job.json',
    });
    expect(refusal(() => parseBackfillArgs(['--bucket', 'phi-prod', '--report-bucket', '']))).toMatch(
      /^--report-bucket must be an S3 bucket name/,
    );
    expect(refusal(() => parseBackfillArgs(['--bucket', 'phi-prod', '--role-arn', 'nope']))).toMatch(
      /^--role-arn must be an IAM role ARN/,
    );
    expect(refusal(() => parseBackfillArgs(['--bucket', 'phi-prod', '--poll-seconds', '0']))).toMatch(
      /^--poll-seconds must be a positive number/,
    );
  });

  it('alert test: --profile and checked sink ARNs', () => {
    expect(
      parseAlertTestArgs(['--profile', 'oncall', '--topic-arn', 'arn:aws:sns:us-east-1:111122223333:t']),
    ).toMatchObject({
      profile: 'oncall',
      sinks: { topicArn: 'arn:aws:sns:us-east-1:111122223333:t' },
    });
    expect(refusal(() => parseAlertTestArgs(['--topic-arn', 'not-an-arn']))).toMatch(
      /^--topic-arn must be an SNS topic ARN/,
    );
  });
});

describe('useColor', () => {
  const on = { color: true };
  it.each<[string, Parameters<typeof useColor>, boolean]>([
    ['on a terminal', [on, true, {}], true],
    ['not when stdout is not a terminal', [on, false, {}], false],
    ['not with --no-color', [{ color: false }, true, {}], false],
    ['not when NO_COLOR is set', [on, true, { NO_COLOR: '1' }], false],
    ['when NO_COLOR is empty (no-color.org)', [on, true, { NO_COLOR: '' }], true],
    ['not for TERM=dumb', [on, true, { TERM: 'dumb' }], false],
    ['not into a file', [{ color: true, outputFile: 'x' }, true, {}], false],
  ])('%s', (_, args, expected) => {
    expect(useColor(...args)).toBe(expected);
  });
});
