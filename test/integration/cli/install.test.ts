/**
 * The installable CLI: `npm run pack:cli` (scripts/pack-cli.mjs) makes a tarball that `npm install -g`
 * installs offline into an empty prefix, and the installed `replguard` runs as on a clean machine: from
 * /tmp, with only Node on the PATH, a throw-away HOME and no node_modules of the project reachable.
 * Everything is built in a temporary directory: the checkout's dist/ is left alone.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/cli/install');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file` with only `env` (nothing inherited), from `cwd`. */
const runClean = async (
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Run> => {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('the packed CLI, installed with npm into an empty prefix', () => {
  let dir: string;
  let prefix: string;
  let installed: string;
  let cleanEnv: Record<string, string>;
  const replguard = (args: string[], env: Record<string, string> = {}) =>
    runClean(join(prefix, 'bin', 'replguard'), args, dir, { ...cleanEnv, ...env });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replguard-install-'));
    prefix = join(dir, 'prefix');
    const home = join(dir, 'home');
    mkdirSync(home);
    // Only Node (and the shell tools npm spawns) on the PATH: no npx, no project node_modules/.bin.
    cleanEnv = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
    await exec(process.execPath, [join(ROOT, 'scripts', 'pack-cli.mjs'), '--outdir', join(dir, 'out')], {
      cwd: ROOT,
      env: { ...process.env },
    });
    const [tarball] = readdirSync(join(dir, 'out')).filter((f) => /^replguard-.*\.tgz$/.test(f));
    await exec(
      'npm',
      [
        'install',
        '--global',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        '--cache',
        join(dir, 'npm-cache'),
        join(dir, 'out', tarball!),
      ],
      { cwd: dir, env: { ...cleanEnv, PATH: `${process.env.PATH}` } },
    );
    installed = join(prefix, 'lib', 'node_modules', 'replguard');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs the bundle, its notices and nothing to download: no dependencies, no install scripts', () => {
    const files = readdirSync(installed, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(installed, join(e.parentPath, e.name)))
      .sort();
    expect(files).toEqual([
      'LICENSE',
      'README.md',
      'THIRD_PARTY_LICENSES',
      'bin/replguard.js',
      'dist/replguard.mjs',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      name: 'replguard',
      version: VERSION,
      license: 'AGPL-3.0-or-later',
      bin: { replguard: 'bin/replguard.js' },
    });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('answers --help (exit 0, the usage) and --version', async () => {
    const help = await replguard(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('replguard <command>');
    const version = await replguard(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(`replguard ${VERSION}`);
  });

  it('scans against the emulator: a bucket that does not exist exits 2 with a one-line reason', async () => {
    // A separate process cannot carry the emulator's account header: credentials of a role in this file's account.
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    const iam = withAccount(new IAMClient(emulatorClientConfig(endpoint)), account);
    await iam.send(new CreateRoleCommand({ RoleName: 'install-operator', AssumeRolePolicyDocument: trust }));
    const sts = withAccount(new STSClient(emulatorClientConfig(endpoint)), account);
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/install-operator`,
        RoleSessionName: 'install-test',
      }),
    );
    const { code, stderr } = await replguard(
      ['scan', '--bucket', 'replguard-install-no-such-bucket', '--endpoint-url', endpoint],
      {
        AWS_ACCESS_KEY_ID: c?.AccessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey ?? '',
        AWS_SESSION_TOKEN: c?.SessionToken ?? '',
        AWS_REGION: 'us-east-1',
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('replguard-install-no-such-bucket');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('ships the notices of the bundled packages, the AGPL IAM simulator among them', () => {
    const text = readFileSync(join(installed, 'THIRD_PARTY_LICENSES'), 'utf8');
    expect(text).toContain(`ReplGuard ${VERSION}, CLI bundle dist/replguard.mjs`);
    expect(text).toMatch(
      /^@cloud-copilot\/iam-simulate \d+\.\d+\.\d+\n {4}licence: AGPL-3\.0-or-later; text \d+/m,
    );
    expect(text).toMatch(/^@aws-sdk\/client-s3 \d+\.\d+\.\d+\n {4}licence: Apache-2\.0; text \d+$/m);
    expect(text).toContain('GNU AFFERO GENERAL PUBLIC LICENSE');
  });
});
