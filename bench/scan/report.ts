/** The scan benchmark's results, and their markdown summary. */
export interface RunResult {
  readonly size: number;
  readonly scanned: number;
  readonly errors: number;
  readonly setupSeconds: number;
  readonly scanSeconds: number;
  readonly totalCalls: number;
  readonly callsPerBucket: number;
  readonly callsPerBucketByOperation: Readonly<Record<string, number>>;
  readonly callsByOperation: Readonly<Record<string, number>>;
  /** CPU ms of evaluateSnapshot over every snapshot: cold = policy-engine memo cleared first. */
  readonly evaluation: {
    readonly coldRounds: readonly number[];
    readonly warmRounds: readonly number[];
    readonly coldMsPerBucket: number;
    readonly warmMsPerBucket: number;
  };
  readonly resultsByStatus: Readonly<Record<string, number>>;
  /** NON_COMPLIANT and UNKNOWN results per `ruleId status`. */
  readonly notCompliantByRule: Readonly<Record<string, number>>;
}

export interface BenchOutput {
  readonly date: string;
  readonly machine: { readonly node: string; readonly platform: string; readonly cpus: number };
  readonly targets: { readonly callsPerBucket: number; readonly evaluationMsPerBucket: number };
  readonly runs: readonly RunResult[];
}

const f = (n: number, digits = 2) => n.toFixed(digits);

export const toMarkdown = (out: BenchOutput): string => {
  const lines = [
    '# Scan benchmark',
    '',
    `${out.date}, Node ${out.machine.node}, ${out.machine.platform}, ${out.machine.cpus} CPUs, against the moto emulator.`,
    `Each fleet: N cross-account, cross-Region SSE-KMS replicated buckets sharing 2 roles and 3 keys, scanned with \`scan --all\`.`,
    '',
    '| buckets | setup (s) | scan wall (s) | API calls | calls / bucket | eval CPU / bucket, cold memo (ms) | eval CPU / bucket, warm memo (ms) | errors |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...out.runs.map(
      (r) =>
        `| ${r.scanned} | ${f(r.setupSeconds, 1)} | ${f(r.scanSeconds, 1)} | ${r.totalCalls} | ${f(r.callsPerBucket)} | ${f(
          r.evaluation.coldMsPerBucket,
          3,
        )} | ${f(r.evaluation.warmMsPerBucket, 3)} | ${r.errors} |`,
    ),
    '',
    `Targets: at most ${out.targets.callsPerBucket} API calls per bucket at 1,000 buckets; under ${out.targets.evaluationMsPerBucket} ms of evaluation CPU per bucket.`,
    'Evaluation is `evaluateSnapshot` over the collected snapshots (no I/O), median of several rounds of `process.cpuUsage`;',
    "cold rounds clear the policy engine's decision memo first (a scan's own evaluation sees it cold), warm rounds reuse it.",
    '',
    '## Calls per bucket by operation',
    '',
    `| operation | ${out.runs.map((r) => `${r.scanned} buckets`).join(' | ')} |`,
    `|---|${out.runs.map(() => '---:').join('|')}|`,
    ...[...new Set(out.runs.flatMap((r) => Object.keys(r.callsByOperation)))]
      .sort()
      .map(
        (op) =>
          `| ${op} | ${out.runs.map((r) => `${r.callsPerBucketByOperation[op] ?? 0} (${r.callsByOperation[op] ?? 0})`).join(' | ')} |`,
      ),
    '',
    'Cells: calls per bucket (total calls).',
    '',
    '## Results by status',
    '',
    ...out.runs.map(
      (r) =>
        `- ${r.scanned} buckets: ${Object.entries(r.resultsByStatus)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}; not compliant: ${Object.entries(r.notCompliantByRule)
          .map(([rule, n]) => `${rule} ${n}`)
          .join(', ')}`,
    ),
    '',
  ];
  return lines.join('\n');
};
