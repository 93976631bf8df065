/**
 * Organization benchmark: an emulated Organization (bench/org/world.ts: 100 accounts × 20 buckets by default,
 * 10% of sources replicating into a DR account, member roles deployed), scanned with
 * `replguard scan --org --concurrency 16` run as the built CLI (the bundle of these sources, with node, as the
 * management account). Measures API calls per bucket (the CLI's own call counter, printed by --debug),
 * wall time and peak RSS of the CLI process (GNU time).
 *
 *   npx tsx bench/org/run.ts [--accounts 100] [--buckets 20] [--concurrency 16] [--endpoint URL]
 *
 * Without --endpoint it starts the emulator. Writes bench/results/org.{json,md}; exit 1 over 16 calls per bucket.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildBundle, machine, operatorEnv, runCli } from './cli.js';
import { type OrgRun, toMarkdown } from './report.js';
import { buildOrganization } from './world.js';
import { emulatorFor, loadAverages } from '../emulator.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TARGET_CALLS_PER_BUCKET = 16;

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100' },
    buckets: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    endpoint: { type: 'string' },
  },
});

const emulator = () => emulatorFor(values.endpoint);

interface JsonResult {
  readonly accountId: string;
  readonly bucket: string;
  readonly status: string;
  readonly ruleId: string;
}

const main = async (): Promise<void> => {
  const { endpoint, stop } = await emulator();
  const { bundle, remove } = await buildBundle();
  let run: OrgRun;
  try {
    const org = await buildOrganization(endpoint, {
      accounts: Number(values.accounts),
      bucketsPerAccount: Number(values.buckets),
      onAccount: (done, total) => {
        if (done % 10 === 0 || done === total) process.stderr.write(`built ${done}/${total} accounts\n`);
      },
    });
    process.stderr.write(`organization built in ${org.setupSeconds.toFixed(1)} s; scanning…\n`);
    const env = await operatorEnv(endpoint, org.management);
    const loadBefore = loadAverages();
    const cli = await runCli(
      bundle,
      ['scan', '--org', '--concurrency', String(values.concurrency), '--format', 'json'],
      env,
      { countCalls: true },
    );
    const loadAfter = loadAverages();
    if (cli.code === 2 || !cli.calls)
      throw new Error(`replguard scan --org exited ${cli.code}:\n${cli.stderr.slice(-3000)}`);
    const out = JSON.parse(cli.stdout) as {
      results: JsonResult[];
      accounts?: { scanned: string[]; unreachable: unknown[] };
    };
    const scanned = new Set(out.results.map((r) => `${r.accountId}/${r.bucket}`)).size;
    const totalCalls = Object.values(cli.calls).reduce((a, b) => a + b, 0);
    const byStatus: Record<string, number> = {};
    const failing: Record<string, number> = {};
    for (const r of out.results) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN')
        failing[`${r.ruleId} ${r.status}`] = (failing[`${r.ruleId} ${r.status}`] ?? 0) + 1;
    }
    run = {
      accounts: org.accounts.length,
      bucketsPerAccount: Number(values.buckets),
      buckets: org.buckets,
      crossAccountSources: org.crossAccountSources,
      concurrency: Number(values.concurrency),
      setupSeconds: org.setupSeconds,
      exitCode: cli.code,
      wallSeconds: cli.wallSeconds,
      ...(cli.maxRssMb !== undefined ? { maxRssMb: cli.maxRssMb } : {}),
      accountsScanned: out.accounts?.scanned.length ?? 0,
      accountsUnreachable: out.accounts?.unreachable.length ?? 0,
      scannedBuckets: scanned,
      totalCalls,
      callsPerBucket: totalCalls / Math.max(org.buckets, 1),
      callsPerScannedBucket: totalCalls / Math.max(scanned, 1),
      callsByOperation: cli.calls,
      resultsByStatus: byStatus,
      notCompliantByRule: failing,
      load: { before: loadBefore, after: loadAfter },
    };
  } finally {
    await remove();
    await stop();
  }
  const result = {
    benchmark: 'org',
    date: new Date().toISOString(),
    machine: await machine(),
    targets: { callsPerBucket: TARGET_CALLS_PER_BUCKET },
    run,
  };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('org.json', dir), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(new URL('org.md', dir), toMarkdown(result));
  process.stdout.write(toMarkdown(result));
  if (run.callsPerBucket > TARGET_CALLS_PER_BUCKET) process.exitCode = 1;
};

await main();
