/**
 * Scan benchmark: builds 100 and 1,000 replicated buckets in the emulator, scans each fleet with `scan --all`,
 * and reports wall time, API calls per bucket by operation, and pure evaluation CPU per bucket.
 *
 *   npx tsx bench/scan/run.ts [--sizes 100,1000] [--endpoint http://127.0.0.1:5000] [--concurrency 16]
 *
 * Without --endpoint it starts the emulator (test/emulator/server.ts). Writes bench/results/scan.{json,md}.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ScanSession } from '../../shared/collect/session.js';
import { evaluateSnapshot } from '../../shared/engine/evaluate.js';
import { scan } from '../../shared/engine/scan.js';
import { resetEngine } from '../../shared/policy/engine.js';
import { derivedAccount, scenario } from '../../test/scenarios/builder.js';
import { buildFleet } from './fleet.js';
import { type RunResult, toMarkdown } from './report.js';
import { emulatorFor } from '../emulator.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TARGET_CALLS_PER_BUCKET = 16;
const TARGET_EVAL_MS_PER_BUCKET = 5;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    endpoint: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'eval-rounds': { type: 'string', default: '3' },
  },
});
const sizes = (values.sizes ?? '100,1000').split(',').map(Number);
const concurrency = Number(values.concurrency);
const evalRounds = Number(values['eval-rounds']);

/** The emulator: the one given, or one started for the run (stopped at the end). */
const emulator = () => emulatorFor(values.endpoint);

/** CPU milliseconds (user + system) spent by `fn`. */
const cpuMs = (fn: () => void): number => {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const runSize = async (endpoint: string, size: number): Promise<RunResult> => {
  const env = await scenario(endpoint, { account: derivedAccount(`bench/scan/${size}/${Date.now()}`) });
  process.stderr.write(`[${size}] building fleet…\n`);
  const fleet = await buildFleet(env, size, concurrency);
  process.stderr.write(`[${size}] built in ${(fleet.setupMs / 1000).toFixed(1)} s; scanning…\n`);
  const session = new ScanSession(env.clientFactory());
  const started = performance.now();
  const report = await scan(session, { all: true, concurrency });
  const scanMs = performance.now() - started;
  const scanned = report.snapshots.length;
  const calls = session.factory.counter.snapshot();
  const totalCalls = session.factory.counter.total();
  // the policy engine memoises decisions (and the scan just filled that memo): clear it for a cold round
  const evaluateAll = (cold: boolean) =>
    cpuMs(() => {
      if (cold) resetEngine();
      for (const s of report.snapshots) evaluateSnapshot(s);
    });
  const coldRounds = Array.from({ length: evalRounds }, () => evaluateAll(true));
  const warmRounds = Array.from({ length: evalRounds }, () => evaluateAll(false));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const statuses: Record<string, number> = {};
  const notCompliant: Record<string, number> = {};
  for (const r of report.results) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN')
      notCompliant[`${r.ruleId} ${r.status}`] = (notCompliant[`${r.ruleId} ${r.status}`] ?? 0) + 1;
  }
  process.stderr.write(`[${size}] scanned ${scanned} buckets in ${(scanMs / 1000).toFixed(1)} s\n`);
  return {
    size,
    scanned,
    errors: report.errors.length,
    setupSeconds: fleet.setupMs / 1000,
    scanSeconds: scanMs / 1000,
    totalCalls,
    callsPerBucket: totalCalls / Math.max(scanned, 1),
    callsPerBucketByOperation: Object.fromEntries(
      Object.entries(calls).map(([op, n]) => [op, Number((n / Math.max(scanned, 1)).toFixed(3))]),
    ),
    callsByOperation: calls,
    evaluation: {
      coldRounds: coldRounds.map((r) => Number(r.toFixed(1))),
      warmRounds: warmRounds.map((r) => Number(r.toFixed(1))),
      coldMsPerBucket: median(coldRounds) / Math.max(scanned, 1),
      warmMsPerBucket: median(warmRounds) / Math.max(scanned, 1),
    },
    resultsByStatus: statuses,
    notCompliantByRule: notCompliant,
  };
};

const main = async (): Promise<void> => {
  const { endpoint, stop } = await emulator();
  const runs: RunResult[] = [];
  try {
    for (const size of sizes) runs.push(await runSize(endpoint, size));
  } finally {
    await stop();
  }
  const out = {
    benchmark: 'scan',
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: (await import('node:os')).cpus().length,
    },
    targets: { callsPerBucket: TARGET_CALLS_PER_BUCKET, evaluationMsPerBucket: TARGET_EVAL_MS_PER_BUCKET },
    runs,
  };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('scan.json', dir), `${JSON.stringify(out, null, 2)}\n`);
  await writeFile(new URL('scan.md', dir), toMarkdown(out));
  process.stdout.write(toMarkdown(out));
  const largest = runs.at(-1);
  if (
    largest &&
    (largest.callsPerBucket > TARGET_CALLS_PER_BUCKET ||
      largest.evaluation.coldMsPerBucket > TARGET_EVAL_MS_PER_BUCKET)
  )
    process.exitCode = 1;
};

await main();
