/**
 * The built `replguard` CLI as a separate process, as a user runs it: the bundle built from the current sources
 * (scripts/build-cli.mjs) into a temporary directory, started with `node`, credentials of an operator role in
 * the account scanned (moto's assumed-role credentials act in the role's account), wall time and peak RSS from
 * /usr/bin/time (GNU time) when present, API calls from the CLI's own `--debug` line.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { actAs, EMULATOR_CREDENTIALS } from '../../test/scenarios/builder/clients.js';
import { accountTrustPolicy } from '../../test/scenarios/builder/policies.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNER = fileURLToPath(new URL('./runBundle.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallSeconds: number;
  /** Peak resident set of the CLI process (GNU time's %M), when /usr/bin/time exists. */
  readonly maxRssMb?: number;
  /** What `--debug` printed: AWS API calls by `SERVICE:Operation`. */
  readonly calls?: Readonly<Record<string, number>>;
}

/** Builds the CLI bundle from the current sources into a temporary directory; returns its path and a cleanup. */
export const buildBundle = async (): Promise<{ bundle: string; remove: () => Promise<void> }> => {
  const outdir = await mkdtemp(join(tmpdir(), 'replguard-bench-'));
  const { buildCli } = (await import(join(ROOT, 'scripts', 'build-cli.mjs'))) as {
    buildCli: (o: { outdir: string }) => Promise<{ bundle: string }>;
  };
  const { bundle } = await buildCli({ outdir });
  return { bundle, remove: () => rm(outdir, { recursive: true, force: true }) };
};

/** Environment variables of a process acting as `account` in the emulator. */
export type AccountEnv = Readonly<Record<string, string>>;

/**
 * Credentials of a role `name` in `account` (created once; an existing one is kept), as environment variables
 * with the emulator's endpoint: what a separate process (the CLI, Prowler) needs to act in that account.
 */
export const operatorEnv = async (
  endpoint: string,
  account: string,
  name = 'bench-operator',
  region = 'us-east-1',
): Promise<AccountEnv> => {
  const base = { endpoint, region, credentials: EMULATOR_CREDENTIALS };
  const iam = actAs(new IAMClient(base), account);
  await iam
    .send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify(accountTrustPolicy(account)),
      }),
    )
    .catch((error: { name?: string }) => {
      if (error.name !== 'EntityAlreadyExistsException') throw error;
    });
  const sts = actAs(new STSClient(base), account);
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/${name}`,
      RoleSessionName: 'bench',
      DurationSeconds: 43_200,
    }),
  );
  return {
    AWS_ACCESS_KEY_ID: c?.AccessKeyId ?? '',
    AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey ?? '',
    AWS_SESSION_TOKEN: c?.SessionToken ?? '',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
  };
};

/** The environment of a measured child: PATH and HOME only, plus `env` (no credentials of this process). */
export const cleanEnv = (env: AccountEnv): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmpdir(),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...env,
});

/**
 * Runs `command args` with `env`, timing it; with /usr/bin/time the peak RSS is read from its report
 * (written to a temporary file so the command's own stderr stays its own).
 */
export const timed = async (
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string = ROOT,
): Promise<Omit<CliRun, 'calls'>> => {
  const report = join(tmpdir(), `replguard-bench-time-${process.pid}-${Date.now()}.txt`);
  const withTime = existsSync(GNU_TIME);
  const [file, argv] = withTime
    ? [GNU_TIME, ['-f', '%M', '-o', report, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => void (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => void (stderr += t));
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? -1));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  let maxRssMb: number | undefined;
  if (withTime) {
    const kb = Number((await readFile(report, 'utf8').catch(() => '')).trim().split('\n').at(-1));
    if (Number.isFinite(kb) && kb > 0) maxRssMb = kb / 1024;
    await rm(report, { force: true });
  }
  return { code, stdout, stderr, wallSeconds, ...(maxRssMb !== undefined ? { maxRssMb } : {}) };
};

const CALLS_LINE = /^replguard: debug: AWS API calls (\{.*\})$/m;

/** Runs the bundle (`node runBundle.mjs BUNDLE args`) as the account of `env`; `--debug` adds the call counts. */
export const runCli = async (
  bundle: string,
  args: readonly string[],
  env: AccountEnv,
  options: { readonly countCalls?: boolean } = {},
): Promise<CliRun> => {
  const argv = options.countCalls ? [...args, '--debug'] : args;
  const run = await timed(process.execPath, [RUNNER, bundle, ...argv], cleanEnv(env));
  const match = CALLS_LINE.exec(run.stderr);
  const calls = match?.[1]
    ? (JSON.parse(match[1]) as { byOperation: Record<string, number> }).byOperation
    : undefined;
  return { ...run, ...(calls ? { calls } : {}) };
};

/** Median of `xs` (the lower middle for an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

/** What the benchmarks of the built CLI record of the machine they ran on. */
export const machine = async () => {
  const { cpus } = await import('node:os');
  return { node: process.version, platform: process.platform, cpus: cpus().length, cpu: cpus()[0]?.model };
};
