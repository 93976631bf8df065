/** The Organization benchmark's results, and their markdown summary. */
export interface OrgRun {
  readonly accounts: number;
  readonly bucketsPerAccount: number;
  readonly buckets: number;
  readonly crossAccountSources: number;
  readonly concurrency: number;
  readonly setupSeconds: number;
  readonly exitCode: number;
  readonly wallSeconds: number;
  /** Peak RSS of the CLI process (GNU time). */
  readonly maxRssMb?: number;
  readonly accountsScanned: number;
  readonly accountsUnreachable: number;
  /** Buckets with results (the in-scope ones: replicated sources and PHI-tagged buckets). */
  readonly scannedBuckets: number;
  readonly totalCalls: number;
  /** Calls over every bucket of the Organization (what the 16-call target is about). */
  readonly callsPerBucket: number;
  /** Calls over the in-scope buckets (each replicated source, its destination's reads included). */
  readonly callsPerScannedBucket: number;
  readonly callsByOperation: Readonly<Record<string, number>>;
  readonly resultsByStatus: Readonly<Record<string, number>>;
  readonly notCompliantByRule: Readonly<Record<string, number>>;
  readonly load: { readonly before: string; readonly after: string };
}

export interface OrgOutput {
  readonly date: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpu?: string | undefined };
  readonly targets: { readonly callsPerBucket: number };
  readonly run: OrgRun;
}

const f = (n: number, digits = 2) => n.toFixed(digits);

export const toMarkdown = ({ date, machine, targets, run }: OrgOutput): string =>
  [
    '# Organization benchmark (`scan --org`)',
    '',
    `${date}, Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu ?? 'unknown'}), against the moto emulator;`,
    `load average ${run.load.before} before the scan, ${run.load.after} after (1 / 5 / 15 min).`,
    '',
    `An emulated Organization of ${run.accounts} accounts × ${run.bucketsPerAccount} buckets (${run.buckets} buckets):`,
    'in every account SSE-KMS replicated pairs (S3 Bucket Keys, RTC, monitored, us-east-1 → us-west-2); of each',
    `account's sources, ${run.crossAccountSources} in all replicate into a DR account instead (its bucket policies, its replica`,
    "key, owner override); ReplGuard's read-only member role in every member. Scanned from the management account",
    `with \`replguard scan --org --concurrency ${run.concurrency} --format json\`, the CLI bundle built from these sources run with`,
    'node as a separate process; API calls from its own call counter (`--debug`), peak RSS from GNU time.',
    '',
    '| accounts scanned (unreachable) | buckets | in scope (scanned) | wall (s) | ms / bucket | peak RSS (MiB) | API calls | calls / bucket | calls / in-scope bucket | exit | setup (s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${run.accountsScanned} (${run.accountsUnreachable}) | ${run.buckets} | ${run.scannedBuckets} | ${f(run.wallSeconds, 1)} | ${f((run.wallSeconds * 1000) / Math.max(run.buckets, 1), 1)} | ${run.maxRssMb !== undefined ? f(run.maxRssMb, 0) : '–'} | ${run.totalCalls} | **${f(run.callsPerBucket)}** | ${f(run.callsPerScannedBucket)} | ${run.exitCode} | ${f(run.setupSeconds, 1)} |`,
    '',
    `Target: at most ${targets.callsPerBucket} API calls per bucket of the Organization. In scope are the replicated sources; a`,
    "source's figure includes reading its destination (versioning, encryption, Object Lock, policy, Region), and every",
    "same-account replica is also read by its account's index (Region, tags, replication) to decide its own scope.",
    'Exit 1 is the scan reporting NON_COMPLIANT or UNKNOWN results (below), not a benchmark failure.',
    '',
    '## Calls by operation',
    '',
    '| operation | calls | per in-scope bucket |',
    '|---|---:|---:|',
    ...Object.entries(run.callsByOperation).map(
      ([op, n]) => `| ${op} | ${n} | ${f(n / Math.max(run.scannedBuckets, 1), 3)} |`,
    ),
    '',
    '## Results',
    '',
    `By status: ${Object.entries(run.resultsByStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}.`,
    `Not compliant or unknown: ${
      Object.entries(run.notCompliantByRule)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }.`,
    '',
  ].join('\n');
