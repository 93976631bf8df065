/**
 * Evaluation micro-benchmark: pure `evaluateSnapshot` CPU per bucket, without the emulator. Builds N distinct
 * snapshots shaped like the scan benchmark's fleet (cross-account, cross-Region SSE-KMS pairs with Bucket
 * Keys and RTC, sharing 2 replication roles and 3 KMS keys: the same role and key objects in every snapshot,
 * as a scan's session shares its reads), evaluates them all, and reports CPU per bucket (median of rounds),
 * per rule, and the simulator runs and memo hits per bucket.
 *
 *   npx tsx bench/evaluate/run.ts [--sizes 100,1000] [--rounds 5]
 *
 * Writes bench/results/evaluate.{json,md}.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { evaluateSnapshot } from '../../shared/engine/evaluate.js';
import { engineStats, resetEngine } from '../../shared/policy/engine.js';
import { rules } from '../../shared/rules/index.js';
import { buildFleet } from './fleet.js';

const TARGET_MS_PER_BUCKET = 5;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    rounds: { type: 'string', default: '5' },
  },
});
const sizes = (values.sizes ?? '100,1000').split(',').map(Number);
const rounds = Math.max(1, Number(values.rounds));

const cpuMs = (fn: () => void): number => {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface SizeResult {
  readonly size: number;
  readonly coldRounds: number[];
  readonly warmRounds: number[];
  readonly coldMsPerBucket: number;
  readonly warmMsPerBucket: number;
  /** Simulator runs and memo hits per bucket in a cold round. */
  readonly simulatorRunsPerBucket: number;
  readonly memoHitsPerBucket: number;
  /** Cold CPU ms per bucket of each rule on its own (median of rounds). */
  readonly ruleMsPerBucket: Record<string, number>;
  readonly resultsByStatus: Record<string, number>;
}

const runSize = (size: number): SizeResult => {
  const snapshots = buildFleet(size);
  const all = (cold: boolean) =>
    cpuMs(() => {
      if (cold) resetEngine();
      for (const s of snapshots) evaluateSnapshot(s);
    });
  all(true); // warm up the JIT
  const coldRounds = Array.from({ length: rounds }, () => all(true));
  resetEngine();
  const statuses: Record<string, number> = {};
  for (const s of snapshots)
    for (const r of evaluateSnapshot(s)) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const { runs, hits } = engineStats;
  const warmRounds = Array.from({ length: rounds }, () => all(false));
  const ruleMsPerBucket = Object.fromEntries(
    rules.map((rule) => {
      const times = Array.from({ length: rounds }, () =>
        cpuMs(() => {
          resetEngine();
          for (const s of snapshots) rule.evaluate(s);
        }),
      );
      return [rule.id, Number((median(times) / size).toFixed(3))];
    }),
  );
  return {
    size,
    coldRounds: coldRounds.map((r) => Number(r.toFixed(1))),
    warmRounds: warmRounds.map((r) => Number(r.toFixed(1))),
    coldMsPerBucket: median(coldRounds) / size,
    warmMsPerBucket: median(warmRounds) / size,
    simulatorRunsPerBucket: runs / size,
    memoHitsPerBucket: hits / size,
    ruleMsPerBucket,
    resultsByStatus: statuses,
  };
};

const toMarkdown = (out: { date: string; machine: Record<string, unknown>; runs: SizeResult[] }): string => {
  const ruleIds = rules.map((r) => r.id);
  return [
    '# Evaluation micro-benchmark',
    '',
    `${out.date}, Node ${String(out.machine.node)}, ${String(out.machine.platform)}, ${String(out.machine.cpus)} CPUs, no emulator.`,
    'N fleet-like snapshots (cross-account, cross-Region SSE-KMS with Bucket Keys and RTC) sharing 2 roles and 3 keys;',
    `\`evaluateSnapshot\` over all of them, CPU (\`process.cpuUsage\`) per bucket, median of ${rounds} rounds after one warm-up.`,
    "Cold rounds clear the policy engine's decision memo first; warm rounds reuse it.",
    '',
    '| buckets | CPU / bucket, cold (ms) | CPU / bucket, warm (ms) | simulator runs / bucket | memo hits / bucket | results |',
    '|---:|---:|---:|---:|---:|---|',
    ...out.runs.map(
      (r) =>
        `| ${r.size} | ${r.coldMsPerBucket.toFixed(3)} | ${r.warmMsPerBucket.toFixed(3)} | ${r.simulatorRunsPerBucket.toFixed(1)} | ${r.memoHitsPerBucket.toFixed(1)} | ${Object.entries(
          r.resultsByStatus,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} |`,
    ),
    '',
    `Target: under ${TARGET_MS_PER_BUCKET} ms per bucket.`,
    '',
    '## Cold CPU per bucket by rule (ms)',
    '',
    `| rule | ${out.runs.map((r) => `${r.size} buckets`).join(' | ')} |`,
    `|---|${out.runs.map(() => '---:').join('|')}|`,
    ...ruleIds.map(
      (id) => `| ${id} | ${out.runs.map((r) => (r.ruleMsPerBucket[id] ?? 0).toFixed(3)).join(' | ')} |`,
    ),
    '',
  ].join('\n');
};

const main = async (): Promise<void> => {
  const runs = sizes.map((size) => {
    process.stderr.write(`[${size}] evaluating…\n`);
    return runSize(size);
  });
  const out = {
    benchmark: 'evaluate',
    date: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: cpus().length },
    targets: { evaluationMsPerBucket: TARGET_MS_PER_BUCKET },
    runs,
  };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('evaluate.json', dir), `${JSON.stringify(out, null, 2)}\n`);
  const md = toMarkdown(out);
  await writeFile(new URL('evaluate.md', dir), md);
  process.stdout.write(md);
  const largest = runs.at(-1);
  if (largest && largest.coldMsPerBucket > TARGET_MS_PER_BUCKET) process.exitCode = 1;
};

await main();
