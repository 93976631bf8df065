/**
 * Prowler, the peer people run today, in its own virtualenv (bench/prowler/.venv, git-ignored), pinned, run
 * against the emulator on the same account as ReplGuard: its S3, KMS, CloudTrail and CloudWatch checks only,
 * one Region, OCSF JSON into a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AccountEnv, cleanEnv, timed } from '../org/cli.js';

/** The version measured (bench/results/prowler.md names it). */
export const PROWLER_VERSION = '5.46.0';
export const SERVICES = ['s3', 'kms', 'cloudtrail', 'cloudwatch'] as const;

/**
 * Checks of those services excluded explicitly: they call CloudTrail `LookupEvents`, which the emulator answers
 * with HTTP 500 (each call retried with back-off), so they would time the emulator's failures, not a check.
 * Found with `grep -rl lookup_events` in Prowler 5.46.0's aws/services.
 */
export const EXCLUDED_CHECKS = [
  'cloudtrail_threat_detection_enumeration',
  'cloudtrail_threat_detection_llm_jacking',
  'cloudtrail_threat_detection_privilege_escalation',
  'kms_key_enclave_attestation_unknown_image',
  'kms_key_enclave_debug_attestation_detected',
] as const;

const VENV = fileURLToPath(new URL('./.venv/', import.meta.url));
export const PROWLER = join(VENV, 'bin', 'prowler');

const installedVersion = (): string | undefined => {
  const python = join(VENV, 'bin', 'python');
  if (!existsSync(python) || !existsSync(PROWLER)) return undefined;
  const out = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("prowler"))'], {
    encoding: 'utf8',
  });
  return out.status === 0 ? out.stdout.trim() : undefined;
};

/** Installs Prowler PROWLER_VERSION from PyPI into bench/prowler/.venv unless it is there (a few minutes). */
export const ensureProwler = (): string => {
  if (installedVersion() === PROWLER_VERSION) return PROWLER;
  const step = (file: string, args: string[]) => {
    process.stderr.write(`bench/prowler: ${file} ${args.join(' ')}\n`);
    const run = spawnSync(file, args, { stdio: 'inherit' });
    if (run.status !== 0)
      throw new Error(
        `bench/prowler: "${file} ${args.join(' ')}" failed (exit ${run.status}): Prowler ${PROWLER_VERSION} needs Python 3.9–3.12 with venv and PyPI`,
      );
  };
  if (!existsSync(join(VENV, 'bin', 'python'))) step('python3', ['-m', 'venv', VENV]);
  step(join(VENV, 'bin', 'pip'), ['install', '--quiet', `prowler==${PROWLER_VERSION}`]);
  return PROWLER;
};

export interface ProwlerRun {
  readonly code: number;
  readonly wallSeconds: number;
  readonly maxRssMb?: number;
  /** OCSF findings written. */
  readonly findings: number;
  /** Checks that produced findings. */
  readonly checks: number;
  /** stderr lines that say ERROR (a check or a call that failed), first few. */
  readonly errors: readonly string[];
  readonly stderrTail: string;
}

/** Runs Prowler against the emulator as the account of `env`, in `region`. */
export const runProwler = async (env: AccountEnv, region: string): Promise<ProwlerRun> => {
  const out = await mkdtemp(join(tmpdir(), 'replguard-bench-prowler-'));
  try {
    const args = [
      'aws',
      '--region',
      region,
      '--services',
      ...SERVICES,
      '--excluded-checks',
      ...EXCLUDED_CHECKS,
      '--output-formats',
      'json-ocsf',
      '--output-directory',
      out,
      '--output-filename',
      'prowler',
      '--ignore-exit-code-3',
      '--no-banner',
    ];
    // HOME in the temporary directory: nothing of this machine's AWS configuration is read
    const run = await timed(PROWLER, args, {
      ...cleanEnv(env),
      HOME: out,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const files = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.ocsf.json'));
    const findings: { metadata?: { event_code?: string } }[] = [];
    for (const f of files)
      findings.push(...(JSON.parse(await readFile(join(out, f), 'utf8')) as typeof findings));
    const errors = run.stderr
      .split('\n')
      .concat(run.stdout.split('\n'))
      .filter((l) => /\bERROR\b|Traceback/.test(l));
    return {
      code: run.code,
      wallSeconds: run.wallSeconds,
      ...(run.maxRssMb !== undefined ? { maxRssMb: run.maxRssMb } : {}),
      findings: findings.length,
      checks: new Set(findings.map((f) => f.metadata?.event_code)).size,
      errors: errors.slice(0, 10),
      stderrTail: run.stderr.slice(-2000),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
};
