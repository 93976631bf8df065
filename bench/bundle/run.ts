/**
 * Bundle benchmark: for each function package in .serverless/ (run `npm run package` first), the zipped
 * and unzipped size and the module initialisation time: a cold `import()` of the bundled handler in a
 * fresh `node` process, median of several runs. Targets: under 3 MB zipped, under 400 ms to initialise.
 *
 *   npx tsx bench/bundle/run.ts [--runs 9] [--compare-sdk]
 *
 * The handler is extracted under node_modules/.cache/ so that, with `awsSdk=runtime`, the AWS SDK left to the
 * Lambda runtime resolves from node_modules as it resolves from the runtime's own node_modules in Lambda.
 * `--compare-sdk` also packages and measures the other `awsSdk` variant (osls empties .serverless/ when it
 * packages, so the default package is set aside meanwhile and put back afterwards).
 * Writes bench/results/bundle.json and bench/results/bundle.md.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readZip } from './zip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
const TARGET = { zippedBytes: 3 * 1024 * 1024, initMs: 400 } as const;

interface FunctionFigures {
  readonly name: string;
  readonly zippedBytes: number;
  readonly unzippedBytes: number;
  readonly files: readonly { name: string; bytes: number }[];
  readonly initMs: { median: number; min: number; max: number; samples: number[] };
  readonly meetsTargets: boolean;
}

type SdkVariant = 'runtime' | 'bundled';

interface Variant {
  readonly awsSdk: SdkVariant;
  readonly functions: FunctionFigures[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Time of `import(handler)` in a fresh node process (what Lambda's init phase does with the module). */
const coldImportMs = (file: string, nodeOptions: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: nodeOptions,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'replguard',
      POWERTOOLS_METRICS_NAMESPACE: 'ReplGuard',
      REPLGUARD_FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:replguard-bench-findings',
    },
  });
  if (result.status !== 0) throw new Error(`importing ${file} failed:\n${result.stderr}`);
  return Number(result.stdout);
};

/** NODE_OPTIONS the stack sets on the functions (serverless.yml provider.environment). */
const stackNodeOptions = (): string => {
  const template = JSON.parse(
    readFileSync(join(ROOT, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as {
    Resources: Record<
      string,
      { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> } } }
    >;
  };
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const value = fn?.Properties.Environment?.Variables?.NODE_OPTIONS;
  return typeof value === 'string' ? value : '';
};

const measure = (packageDir: string, runs: number, nodeOptions: string): FunctionFigures[] => {
  const zips = readdirSync(packageDir)
    .filter((f) => f.endsWith('.zip'))
    .sort();
  if (zips.length === 0)
    throw new Error(`no function packages in ${packageDir}: run \`npm run package\` first`);
  return zips.map((zipName) => {
    const name = zipName.replace(/\.zip$/, '');
    const buffer = readFileSync(join(packageDir, zipName));
    const entries = readZip(buffer);
    const dir = join(ROOT, 'node_modules', '.cache', 'replguard-bench', `${name}-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    for (const e of entries) {
      if (e.name.endsWith('/')) continue;
      mkdirSync(dirname(join(dir, e.name)), { recursive: true });
      writeFileSync(join(dir, e.name), e.read());
    }
    const handler = entries.find((e) => /^functions\/[^/]+\.mjs$/.test(e.name));
    if (!handler) throw new Error(`${zipName} has no functions/<name>.mjs`);
    coldImportMs(join(dir, handler.name), nodeOptions); // warm the OS file cache, as Lambda's is warm
    const samples = Array.from({ length: runs }, () =>
      round(coldImportMs(join(dir, handler.name), nodeOptions)),
    );
    rmSync(dir, { recursive: true, force: true });
    const init = {
      median: round(median(samples)),
      min: Math.min(...samples),
      max: Math.max(...samples),
      samples,
    };
    return {
      name,
      zippedBytes: statSync(join(packageDir, zipName)).size,
      unzippedBytes: entries.reduce((n, e) => n + e.size, 0),
      files: entries.map((e) => ({ name: e.name, bytes: e.size })),
      initMs: init,
      meetsTargets:
        statSync(join(packageDir, zipName)).size < TARGET.zippedBytes && init.median < TARGET.initMs,
    };
  });
};

/** Whether a package's handlers import the AWS SDK (left to the runtime) or carry it. */
const sdkVariant = (packageDir: string): SdkVariant => {
  const zip = readdirSync(packageDir).find((f) => f.endsWith('.zip'));
  const handler = zip && readZip(readFileSync(join(packageDir, zip))).find((e) => e.name.endsWith('.mjs'));
  return handler && /from\s*"@aws-sdk\//.test(handler.read().toString('utf8')) ? 'runtime' : 'bundled';
};

/** Packages and measures one `awsSdk` variant, keeping the default package in .serverless/ intact. */
const measureVariant = (awsSdk: SdkVariant, runs: number, nodeOptions: string): FunctionFigures[] => {
  const current = join(ROOT, '.serverless');
  const aside = join(ROOT, `.serverless-bench-${process.pid}`);
  const home = join(tmpdir(), `replguard-bench-home-${process.pid}`);
  renameSync(current, aside);
  try {
    mkdirSync(home, { recursive: true });
    const result = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'osls'),
      ['package', '--stage', 'dev', `--param=awsSdk=${awsSdk}`],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home } },
    );
    if (result.status !== 0)
      throw new Error(`osls package (awsSdk=${awsSdk}) failed:\n${result.stdout}\n${result.stderr}`);
    return measure(current, runs, nodeOptions);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(current, { recursive: true, force: true });
    renameSync(aside, current);
  }
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

const markdown = (variants: Variant[], meta: Record<string, unknown>): string => {
  const lines = [
    '# Bundle benchmark',
    '',
    `Measured ${String(meta.measuredAt)} on ${String(meta.cpu)} (${String(meta.cores)} cores, load average ${String(meta.loadAverage)} at the end), Node ${String(meta.node)}, ${String(meta.runs)} cold imports per function (median).`,
    `Targets: under ${kb(TARGET.zippedBytes)} zipped, under ${TARGET.initMs} ms to initialise. Init = \`import()\` of the bundled handler in a fresh \`node\` process with the stack's NODE_OPTIONS (\`${String(meta.nodeOptions) || 'none'}\`).`,
    '',
  ];
  for (const v of variants) {
    lines.push(
      `## AWS SDK ${v.awsSdk === 'bundled' ? 'bundled (the default, `awsSdk=bundled`)' : 'from the Lambda runtime (`--param=awsSdk=runtime`)'}`,
      '',
      '| function | zipped | unzipped | init median (min–max) | targets |',
      '| --- | ---: | ---: | ---: | --- |',
      ...v.functions.map(
        (f) =>
          `| ${f.name} | ${kb(f.zippedBytes)} | ${kb(f.unzippedBytes)} | ${f.initMs.median} ms (${f.initMs.min}–${f.initMs.max}) | ${f.meetsTargets ? 'met' : '**missed**'} |`,
      ),
      '',
    );
  }
  lines.push(
    "With `awsSdk=runtime`, the init time includes importing the unbundled AWS SDK clients from `node_modules`, as Lambda imports the runtime's own copy. Sizes include the source map (about half of the unzipped bytes).",
    '',
  );
  return lines.join('\n');
};

/**
 * Holds the lock the tests take while packaging (test/unit/infra/cfn.ts), so nobody repackages, and so
 * empties .serverless/, while the benchmark reads it.
 */
const withPackageLock = <T>(fn: () => T): T => {
  const lock = join(ROOT, '.serverless.lock');
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 300_000)
        throw new Error(`${lock} held for 5 minutes: remove it if no packaging is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

const main = (): void => {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '9' },
      'compare-sdk': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const nodeOptions = stackNodeOptions();
  const packaged = sdkVariant(join(ROOT, '.serverless'));
  const variants: Variant[] = [
    { awsSdk: packaged, functions: measure(join(ROOT, '.serverless'), runs, nodeOptions) },
  ];
  if (values['compare-sdk']) {
    const other = packaged === 'bundled' ? 'runtime' : 'bundled';
    variants.push({ awsSdk: other, functions: measureVariant(other, runs, nodeOptions) });
  }
  const meta = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    runs,
    nodeOptions,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'bundle.json'),
    `${JSON.stringify({ ...meta, targets: TARGET, variants }, null, 2)}\n`,
  );
  writeFileSync(join(RESULTS, 'bundle.md'), markdown(variants, meta));
  for (const v of variants)
    for (const f of v.functions)
      console.log(
        `${v.awsSdk.padEnd(8)} ${f.name.padEnd(22)} ${kb(f.zippedBytes).padStart(8)} zipped ${kb(f.unzippedBytes).padStart(9)} unzipped  init ${String(f.initMs.median).padStart(6)} ms  ${f.meetsTargets ? 'ok' : 'MISSED'}`,
      );
  console.log(`wrote ${join('bench', 'results', 'bundle.json')} and bundle.md`);
  // The packaged (deployed) variant must meet the targets; the comparison is informative.
  if (variants[0]!.functions.some((f) => !f.meetsTargets)) process.exitCode = 1;
};

if (!existsSync(join(ROOT, '.serverless'))) {
  console.error('No .serverless/ directory: run `npm run package` first.');
  process.exit(2);
}
withPackageLock(main);
