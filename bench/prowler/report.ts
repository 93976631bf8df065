/** The Prowler side-by-side results, and their markdown summary. */
export interface SizeResult {
  readonly size: number;
  readonly account: string;
  readonly setupSeconds: number;
  /** Load averages (1 / 5 / 15 min) before and after this account's runs. */
  readonly load: { readonly before: string; readonly after: string };
  readonly prowler: {
    readonly wallSeconds: readonly number[];
    readonly medianWallSeconds: number;
    readonly maxRssMb: number;
    readonly findings: number;
    readonly checks: number;
    readonly errors: readonly string[];
  };
  readonly replguard: {
    readonly wallSeconds: readonly number[];
    readonly medianWallSeconds: number;
    readonly maxRssMb: number;
    readonly results: number;
    readonly scannedBuckets: number;
    readonly msPerBucket: number;
    readonly callsPerBucket: number;
  };
  /** Median Prowler wall over median ReplGuard wall. */
  readonly ratio: number;
  /** Prowler over ReplGuard, run by run (they run in turn). */
  readonly pairRatios: readonly number[];
}

export interface ProwlerOutput {
  readonly date: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpu?: string | undefined };
  readonly prowler: {
    readonly version: string;
    readonly services: readonly string[];
    readonly excludedChecks: readonly string[];
    readonly region: string;
  };
  readonly repetitions: number;
  readonly targetRatio: number;
  readonly runs: readonly SizeResult[];
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export const toMarkdown = (out: ProwlerOutput): string =>
  [
    '# ReplGuard beside Prowler',
    '',
    `${out.date}, Node ${out.machine.node}, ${out.machine.cpus} CPUs (${out.machine.cpu ?? 'unknown'}), against the moto emulator.`,
    `Prowler ${out.prowler.version} (PyPI, its own virtualenv): \`prowler aws --region ${out.prowler.region} --services ${out.prowler.services.join(' ')} --excluded-checks … --output-formats json-ocsf\`;`,
    'ReplGuard: `replguard scan --all --format json`, the CLI bundle built from the same sources, run with node.',
    'Both are separate processes with the same credentials of the account, run in turn; figures are medians of',
    `${out.repetitions} repetitions (whole process wall time; peak RSS from GNU time). Each account: the scan`,
    "benchmark's fleet (cross-account, cross-Region SSE-KMS pairs, every rule healthy).",
    '',
    '| buckets | Prowler wall (s) | ReplGuard wall (s) | **ratio** | run-by-run ratios | ReplGuard ms / bucket | calls / bucket | Prowler findings (checks) | peak RSS MiB (Prowler / ReplGuard) | load before → after |',
    '|---:|---:|---:|---:|---|---:|---:|---:|---:|---|',
    ...out.runs.map(
      (r) =>
        `| ${r.size} | ${f(r.prowler.medianWallSeconds)} | ${f(r.replguard.medianWallSeconds, 2)} | **${f(r.ratio)}×** | ${r.pairRatios.map((x) => f(x)).join(', ')} | ${f(r.replguard.msPerBucket)} | ${f(r.replguard.callsPerBucket, 2)} | ${r.prowler.findings} (${r.prowler.checks}) | ${f(r.prowler.maxRssMb, 0)} / ${f(r.replguard.maxRssMb, 0)} | ${r.load.before} → ${r.load.after} |`,
    ),
    '',
    `Target: Prowler's time at least ${out.targetRatio}× ReplGuard's on the largest account.`,
    '',
    `Excluded Prowler checks (they call CloudTrail LookupEvents, which the emulator answers with HTTP 500): ${out.prowler.excludedChecks.map((c) => `\`${c}\``).join(', ')}.`,
    ...out.runs.flatMap((r) =>
      r.prowler.errors.length
        ? [
            '',
            `Prowler errors on ${r.size} buckets:`,
            ...r.prowler.errors.map((e) => `- \`${e.slice(0, 200)}\``),
          ]
        : [],
    ),
    '',
    'Wall times on a shared 2-CPU machine swing with its load (shown); the ratio of each pair, run back to back,',
    'is steadier than either time.',
    '',
  ].join('\n');
