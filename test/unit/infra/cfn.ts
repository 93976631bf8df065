/**
 * Test helpers for ReplGuard's CloudFormation: the template osls generates (packaged on demand,
 * offline, without credentials) and the standalone templates in infra/ parsed with their short-form
 * intrinsic functions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tags } from 'yaml';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVERLESS_DIR = join(ROOT, '.serverless');
const GENERATED = join(SERVERLESS_DIR, 'cloudformation-template-update-stack.json');
const LOCK = join(ROOT, '.serverless.lock');
const STALE_LOCK_MS = 180_000;
const STACK_INPUTS = ['serverless.yml', 'infra', 'shared', 'functions'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation is untyped JSON
export type Json = any;

export interface Template {
  readonly Parameters: Record<string, Json>;
  readonly Conditions: Record<string, Json>;
  readonly Mappings?: Record<string, Json>;
  readonly Resources: Record<
    string,
    { Type: string; Properties: Json; Condition?: string; DependsOn?: Json }
  >;
  readonly Outputs: Record<string, Json>;
}

const newest = (path: string): number => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
};

const isFresh = (): boolean =>
  existsSync(GENERATED) &&
  statSync(GENERATED).mtimeMs >= Math.max(...STACK_INPUTS.map((p) => newest(join(ROOT, p))));

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One test file packages at a time (a lock directory); the others wait for it. */
const withPackagingLock = <T>(work: () => T): T => {
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than any packaging run was left by a killed process.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS)
        rmSync(LOCK, { recursive: true, force: true });
      if (waited > 300_000)
        throw new Error(`${LOCK} held for 5 minutes: remove it if no packaging is running`);
      sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
};

/** `osls package <args>` offline, with no AWS credentials, profile or login (a throw-away HOME). */
const runPackage = (args: readonly string[]): void => {
  const home = mkdtempSync(join(tmpdir(), 'replguard-package-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    SLS_TELEMETRY_DISABLED: '1',
  };
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'osls'), ['package', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  rmSync(home, { recursive: true, force: true });
  if (result.status !== 0)
    throw new Error(`osls package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
};

/**
 * Runs `osls package` the way CI does: offline, with no AWS credentials, profile or login, when the
 * generated template is missing or older than its inputs.
 */
export const packageStack = (): void =>
  withPackagingLock(() => {
    if (!isFresh()) runPackage(['--stage', 'dev']);
  });

/**
 * The stack template packaged with other `--stage`/`--param` options into a fresh directory (under the
 * same lock: packaging shares the bundler's work directory). Throws osls's output when packaging fails.
 */
export const packagedVariant = (args: readonly string[]): Template =>
  withPackagingLock(() => {
    const dir = mkdtempSync(join(tmpdir(), 'replguard-variant-'));
    try {
      runPackage([...args, '--package', dir]);
      return JSON.parse(
        readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
      ) as Template;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

/** The generated stack template, packaged first when missing or older than its inputs. */
export const generatedTemplate = (): Template => {
  packageStack();
  return JSON.parse(readFileSync(GENERATED, 'utf8')) as Template;
};

const scalarTag = (tag: string, fn: string) => ({
  tag: `!${tag}`,
  resolve: (value: string) => ({ [fn]: value }),
});
const seqTag = (tag: string, fn: string) => ({
  tag: `!${tag}`,
  collection: 'seq' as const,
  resolve: (value: { toJSON: () => unknown }) => ({ [fn]: value.toJSON() }),
});

const CFN_TAGS: Tags = [
  scalarTag('Ref', 'Ref'),
  scalarTag('Sub', 'Fn::Sub'),
  seqTag('Sub', 'Fn::Sub'),
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
  seqTag('GetAtt', 'Fn::GetAtt'),
  ...['If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'Join', 'Split', 'Select'].map((f) =>
    seqTag(f, `Fn::${f}`),
  ),
  scalarTag('ImportValue', 'Fn::ImportValue'),
  scalarTag('Base64', 'Fn::Base64'),
  scalarTag('Condition', 'Condition'),
];

/** A CloudFormation YAML template in the JSON form (`!Sub x` → `{ "Fn::Sub": x }`). */
export const parseCfnYaml = (text: string): Template => parse(text, { customTags: CFN_TAGS }) as Template;

/** infra/<name> parsed. */
export const infraTemplate = (name: string): Template =>
  parseCfnYaml(readFileSync(join(ROOT, 'infra', name), 'utf8'));

/** Values for `Ref` and `${…}` in {@link resolveIntrinsics}: parameters and pseudo parameters. */
export type Bindings = Readonly<Record<string, string | number | boolean>>;

/**
 * Resolves `Ref`, `Fn::Sub` (string form), `Fn::FindInMap` and `Fn::Join` against `bindings`, so a
 * resource's Properties can be sent to the API exactly as CloudFormation would. Anything else throws.
 */
export const resolveIntrinsics = (value: Json, bindings: Bindings, mappings: Json = {}): Json => {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, bindings, mappings));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const lookup = (name: string) => {
    if (!(name in bindings)) throw new Error(`No binding for ${name}`);
    return bindings[name]!;
  };
  if (keys.length === 1 && keys[0] === 'Ref') return lookup(value.Ref);
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    if (typeof value['Fn::Sub'] !== 'string') throw new Error('Only the string form of Fn::Sub is supported');
    return (value['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => String(lookup(name)));
  }
  if (keys.length === 1 && keys[0] === 'Fn::FindInMap') {
    const [map, top, second] = resolveIntrinsics(value['Fn::FindInMap'], bindings, mappings) as string[];
    return mappings[map!][String(top)][second!];
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = value['Fn::Join'] as [string, Json[]];
    return (resolveIntrinsics(parts, bindings, mappings) as string[]).join(sep);
  }
  if (keys.some((k) => k.startsWith('Fn::'))) throw new Error(`Unsupported intrinsic ${keys.join(',')}`);
  return Object.fromEntries(keys.map((k) => [k, resolveIntrinsics(value[k], bindings, mappings)]));
};
