/**
 * The bundle plugins (infra/esbuild-plugins.cjs). The IAM simulator's data is embedded: a bundle that
 * simulates replication actions must work on its own, away from node_modules (as in the Lambda zip),
 * and carry only the data of the services ReplGuard simulates. zod keeps its English messages only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cfn.js';

const require = createRequire(import.meta.url);
const bundlePlugins = require('../../../infra/esbuild-plugins.cjs') as ((serverless: unknown) => Plugin[]) & {
  IAM_DATA_SERVICES: string[];
  embeddedFiles: (root: string) => string[];
  dataRoot: () => string;
};
/** The plugins serverless-esbuild gets when packaging. */
const plugins = bundlePlugins({ processedInput: { commands: ['package'] } });

const ENTRY = `
import { runSimulation } from '@cloud-copilot/iam-simulate';
const account = '111111111111';
const simulate = (action, resource) => runSimulation({
  request: { principal: 'arn:aws:iam::' + account + ':role/replication', action, resource: { resource, accountId: account }, contextVariables: {} },
  identityPolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } }],
  serviceControlPolicies: [], resourceControlPolicies: [],
}, { simulationMode: 'Strict' }).then((r) => r.overallResult ?? r.errors?.message);
const out = {};
for (const [a, r] of [
  ['s3:ReplicateObject', 'arn:aws:s3:::dst/a.pdf'],
  ['s3:GetObjectVersionForReplication', 'arn:aws:s3:::src/a.pdf'],
  ['kms:Decrypt', 'arn:aws:kms:us-east-1:111111111111:key/k'],
  ['sts:AssumeRole', 'arn:aws:iam::111111111111:role/r'],
]) out[a] = await simulate(a, r);
try { await simulate('ec2:DescribeInstances', '*'); } catch (e) { out.missing = e.message; }
console.log(JSON.stringify(out));
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'replguard-bundle-'));
  writeFileSync(join(dir, 'entry.mjs'), ENTRY);
  bundle = join(dir, 'out', 'bundle.mjs');
  await build({
    entryPoints: [join(dir, 'entry.mjs')],
    nodePaths: [join(ROOT, 'node_modules')],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    plugins,
    logLevel: 'silent',
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('iam-data embedding plugin', () => {
  it('embeds the service-independent files and the three files of each simulated service', () => {
    const files = bundlePlugins.embeddedFiles(bundlePlugins.dataRoot());
    expect(files).toContain('serviceNames.json');
    for (const s of bundlePlugins.IAM_DATA_SERVICES) expect(files).toContain(`actions/${s}.json`);
    expect(files).not.toContain('actions/ec2.json');
  });

  it('yields a bundle that simulates like the unbundled simulator, with no node_modules around it', () => {
    const bundled = JSON.parse(execFileSync(process.execPath, [bundle], { cwd: dir, encoding: 'utf8' }));
    // The same program against node_modules (written inside the repository so the packages resolve).
    const direct = join(ROOT, 'node_modules', '.cache', `replguard-simulate-${process.pid}.mjs`);
    mkdirSync(dirname(direct), { recursive: true });
    writeFileSync(direct, ENTRY);
    const unbundled = JSON.parse(execFileSync(process.execPath, [direct], { encoding: 'utf8' }));
    rmSync(direct);
    const { missing, ...results } = bundled;
    expect(results).toEqual(Object.fromEntries(Object.entries(unbundled).filter(([k]) => k !== 'missing')));
    // Identity policy alone: S3 and STS allow; KMS also needs the key policy, as in AWS.
    expect(results).toMatchObject({ 's3:ReplicateObject': 'Allowed', 'kms:Decrypt': 'ImplicitlyDenied' });
    expect(missing).toMatch(/actions\/ec2\.json is not embedded .*IAM_DATA_SERVICES/);
  });

  it('keeps the simulator and its data small (well under 1 MB, not 15 MB)', () => {
    expect(statSync(bundle).size).toBeLessThan(1_000_000);
  });
});

describe('zod English-only plugin', () => {
  it('keeps validation and its English messages, and only the English locale', async () => {
    const zdir = mkdtempSync(join(tmpdir(), 'replguard-zod-'));
    try {
      writeFileSync(
        join(zdir, 'entry.mjs'),
        `import { z } from 'zod';
const r = z.object({ bucket: z.string() }).safeParse({ bucket: 1 });
console.log(JSON.stringify({ ok: r.success, message: r.error.issues[0].message, locales: Object.keys(z.locales) }));`,
      );
      const out = join(zdir, 'bundle.mjs');
      const result = await build({
        entryPoints: [join(zdir, 'entry.mjs')],
        nodePaths: [join(ROOT, 'node_modules')],
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'esm',
        outfile: out,
        plugins,
        metafile: true,
        logLevel: 'silent',
      });
      expect(JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' }))).toEqual({
        ok: false,
        message: 'Invalid input: expected string, received number',
        locales: ['en'],
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.filter((f) => /zod[\\/]v4[\\/]locales[\\/](?!en\.js|index\.js)/.test(f))).toEqual([]);
    } finally {
      rmSync(zdir, { recursive: true, force: true });
    }
  });
});

describe('invoke-local shim', () => {
  it('is written for `osls invoke local` and removed for any other command', async () => {
    const sdir = mkdtempSync(join(tmpdir(), 'replguard-shim-'));
    const bundleFor = (commands: string[]) =>
      build({
        entryPoints: [join(sdir, 'probe.ts')],
        outdir: join(sdir, 'out'),
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        plugins: bundlePlugins({ processedInput: { commands } }),
        logLevel: 'silent',
      });
    try {
      writeFileSync(join(sdir, 'probe.ts'), 'export const handler = async () => 1;\n');
      await bundleFor(['invoke', 'local']);
      expect(existsSync(join(sdir, 'out', 'probe.cjs'))).toBe(true);
      await bundleFor(['package']);
      expect(existsSync(join(sdir, 'out', 'probe.cjs'))).toBe(false);
      expect(existsSync(join(sdir, 'out', 'probe.mjs'))).toBe(true);
    } finally {
      rmSync(sdir, { recursive: true, force: true });
    }
  });

  it('lets require() load the ESM handler, as osls invoke local does', async () => {
    const sdir = mkdtempSync(join(tmpdir(), 'replguard-shim-'));
    try {
      mkdirSync(join(sdir, 'functions'));
      writeFileSync(
        join(sdir, 'functions', 'probe.ts'),
        'export const handler = async () => import.meta.url;\n',
      );
      await build({
        entryPoints: [join(sdir, 'functions', 'probe.ts')],
        outdir: join(sdir, 'out'),
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        plugins: bundlePlugins({ processedInput: { commands: ['invoke', 'local'] } }),
        logLevel: 'silent',
      });
      // osls: require(<handler path>) fails, then require(<handler path>.cjs)
      const loaded = createRequire(join(sdir, 'out', 'x.cjs'))(join(sdir, 'out', 'probe.cjs')) as {
        handler: () => Promise<string>;
      };
      expect(await loaded.handler()).toMatch(/probe\.mjs$/);
    } finally {
      rmSync(sdir, { recursive: true, force: true });
    }
  });
});
