/** The command line itself: help where it is asked for, usage errors on stderr with exit 2, one line each. */
import { describe, expect, it } from 'vitest';
import { SCAN_HELP } from '../../../shared/cli/args.js';
import { BACKFILL_HELP } from '../../../shared/cli/backfillArgs.js';
import { ALERT_TEST_HELP } from '../../../shared/cli/alertTest.js';
import { FIX_HELP } from '../../../shared/cli/fixArgs.js';
import { MAIN_HELP, run } from '../../../shared/cli/main.js';

const cli = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTty: false,
    stdoutIsTty: false,
  });
  return { code, stdout, stderr };
};

describe('replguard help', () => {
  it.each([
    [['help', 'scan'], SCAN_HELP],
    [['help', 'fix'], FIX_HELP],
    [['help', 'backfill'], BACKFILL_HELP],
    [['help', 'alert'], ALERT_TEST_HELP],
    [['alert', '--help'], ALERT_TEST_HELP],
    [['scan', '--help'], SCAN_HELP],
    [['scan', '-h'], SCAN_HELP],
    [['help'], MAIN_HELP],
    [['--help'], MAIN_HELP],
  ])('%j prints that help on stdout and exits 0', async (argv, help) => {
    expect(await cli(...argv)).toEqual({ code: 0, stdout: `${help}\n`, stderr: '' });
  });

  it('lists every command and the common flags in the top-level help', () => {
    for (const command of ['scan', 'fix', 'backfill', 'alert', 'help'])
      expect(MAIN_HELP).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(MAIN_HELP).toContain('--profile, --region, --endpoint-url, -o/--output-file, --no-color');
  });

  it.each([SCAN_HELP, FIX_HELP, BACKFILL_HELP, ALERT_TEST_HELP])(
    'every command documents the common flags',
    (help) => {
      for (const flag of [
        '--profile NAME',
        '--region REGION',
        '--endpoint-url URL',
        '-o, --output-file PATH',
        '--no-color',
      ])
        expect(help).toContain(flag);
    },
  );
});

describe('usage errors', () => {
  it('without a command: the usage on stderr, nothing on stdout, exit 2', async () => {
    const { code, stdout, stderr } = await cli();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${MAIN_HELP}\n`);
  });

  it.each([
    [['scan'], 'replguard: scan needs --bucket NAME, --all or --org (replguard help scan)'],
    [['scan', '--bucket', ''], 'replguard: --bucket must be an S3 bucket name'],
    [
      ['scan', '--bucket', 'x', '--publish', '--topic-arn', 'not-an-arn'],
      'replguard: --topic-arn must be an SNS topic ARN',
    ],
    [['fix', '--bucket', 'x', '--format', 'yaml'], 'replguard: --format must be one of text, json, sh'],
    [['deploy'], 'replguard: unknown command "deploy" (replguard --help)'],
    [
      ['help', 'deploy'],
      'replguard: no command "deploy": the commands are scan, fix, backfill, report, alert',
    ],
    [['alert', 'send'], 'replguard: unknown command "alert send" (replguard help alert)'],
    [['alert'], 'replguard: alert needs a subcommand: replguard alert test (replguard help alert)'],
    [['help', 'toString'], 'replguard: no command "toString"'],
  ])('%j: one line on stderr, exit 2', async (argv, start) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(start)).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses an output file in a directory that does not exist before calling AWS', async () => {
    const { code, stderr } = await cli('scan', '--bucket', 'x', '-o', '/nonexistent/replguard/out.json');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'replguard: --output-file /nonexistent/replguard/out.json: directory /nonexistent/replguard does not exist (replguard help scan)\n',
    );
  });
});
