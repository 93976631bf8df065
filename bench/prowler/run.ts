/**
 * ReplGuard beside Prowler, the peer people run today, on the same emulated accounts in the same run: Prowler
 * 5.x (pinned, its own virtualenv, its S3, KMS, CloudTrail and CloudWatch checks) and `replguard scan --all`
 * (the CLI bundle built from these sources, run with node as a user runs it), each a separate process with the
 * same credentials, in turn, several repetitions; the ratio of medians on a 3-bucket and a 75-bucket account.
 *
 *   npx tsx bench/prowler/run.ts [--sizes 3,75] [--repetitions 3] [--endpoint http://127.0.0.1:5000]
 *
 * Installs Prowler on first run (bench/prowler/.venv, git-ignored). Without --endpoint it starts the emulator.
 * Writes bench/results/prowler.{json,md}. Exit 1 when the ratio on the largest account is under the target.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildBundle, type CliRun, machine, median, runCli } from '../org/cli.js';
import {
  ensureProwler,
  EXCLUDED_CHECKS,
  PROWLER_VERSION,
  type ProwlerRun,
  runProwler,
  SERVICES,
} from './prowler.js';
import { toMarkdown, type SizeResult } from './report.js';
import { buildAccount } from './world.js';
import { emulatorFor, loadAverages } from '../emulator.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Prowler's wall time over ReplGuard's, on the largest account. */
export const TARGET_RATIO = 10;
const REGION = 'us-east-1';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '3,75' },
    repetitions: { type: 'string', default: '3' },
    endpoint: { type: 'string' },
  },
});
const sizes = (values.sizes ?? '3,75').split(',').map(Number);
const repetitions = Math.max(1, Number(values.repetitions));

const emulator = () => emulatorFor(values.endpoint);

const runSize = async (endpoint: string, bundle: string, size: number): Promise<SizeResult> => {
  const world = await buildAccount(endpoint, size);
  process.stderr.write(`[${size}] account ${world.account} built in ${world.setupSeconds.toFixed(1)} s\n`);
  const prowler: ProwlerRun[] = [];
  const replguard: CliRun[] = [];
  const loadBefore = loadAverages();
  for (let i = 0; i < repetitions; i++) {
    const p = await runProwler(world.env, REGION);
    if (p.code !== 0) throw new Error(`prowler exited ${p.code}:\n${p.stderrTail}`);
    const r = await runCli(bundle, ['scan', '--all', '--format', 'json'], world.env, {
      countCalls: i === 0,
    });
    if (r.code !== 0) throw new Error(`replguard scan exited ${r.code}:\n${r.stderr.slice(-2000)}`);
    prowler.push(p);
    replguard.push(r);
    process.stderr.write(
      `[${size}] #${i + 1}: prowler ${p.wallSeconds.toFixed(1)} s (${p.findings} findings), replguard ${r.wallSeconds.toFixed(2)} s\n`,
    );
  }
  const results =
    (JSON.parse(replguard[0]?.stdout ?? '{}') as { results?: { bucket: string }[] }).results ?? [];
  const scanned = new Set(results.map((r) => r.bucket)).size;
  const calls = replguard[0]?.calls ?? {};
  const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
  const prowlerWall = median(prowler.map((p) => p.wallSeconds));
  const replguardWall = median(replguard.map((r) => r.wallSeconds));
  return {
    size,
    account: world.account,
    setupSeconds: world.setupSeconds,
    load: { before: loadBefore, after: loadAverages() },
    prowler: {
      wallSeconds: prowler.map((p) => p.wallSeconds),
      medianWallSeconds: prowlerWall,
      maxRssMb: median(prowler.map((p) => p.maxRssMb ?? Number.NaN)),
      findings: prowler[0]?.findings ?? 0,
      checks: prowler[0]?.checks ?? 0,
      errors: [...new Set(prowler.flatMap((p) => p.errors))],
    },
    replguard: {
      wallSeconds: replguard.map((r) => r.wallSeconds),
      medianWallSeconds: replguardWall,
      maxRssMb: median(replguard.map((r) => r.maxRssMb ?? Number.NaN)),
      results: results.length,
      scannedBuckets: scanned,
      msPerBucket: (replguardWall * 1000) / Math.max(scanned, 1),
      callsPerBucket: totalCalls / Math.max(scanned, 1),
    },
    ratio: prowlerWall / replguardWall,
    pairRatios: prowler.map((p, i) => p.wallSeconds / (replguard[i]?.wallSeconds ?? Number.NaN)),
  };
};

const main = async (): Promise<void> => {
  ensureProwler();
  const { endpoint, stop } = await emulator();
  const { bundle, remove } = await buildBundle();
  const runs: SizeResult[] = [];
  try {
    for (const size of sizes) runs.push(await runSize(endpoint, bundle, size));
  } finally {
    await remove();
    await stop();
  }
  const out = {
    benchmark: 'prowler',
    date: new Date().toISOString(),
    machine: await machine(),
    prowler: {
      version: PROWLER_VERSION,
      services: [...SERVICES],
      excludedChecks: [...EXCLUDED_CHECKS],
      region: REGION,
    },
    repetitions,
    targetRatio: TARGET_RATIO,
    runs,
  };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('prowler.json', dir), `${JSON.stringify(out, null, 2)}\n`);
  await writeFile(new URL('prowler.md', dir), toMarkdown(out));
  process.stdout.write(toMarkdown(out));
  const largest = runs.at(-1);
  if (largest && largest.ratio < TARGET_RATIO) process.exitCode = 1;
};

await main();
