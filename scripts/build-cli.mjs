#!/usr/bin/env node
/**
 * Builds the `replguard` CLI into one ES module that runs on Node 20 with nothing installed beside it
 * (`npm run build`):
 *
 *   dist/replguard.mjs        shared/cli/main.ts and every dependency it imports (AWS SDK v3, the IAM
 *                             simulator as patched by scripts/patch-iam-simulate.mjs, its data, zod)
 *   dist/THIRD_PARTY_LICENSES the bundled packages, their licences and licence texts
 *
 *   node scripts/build-cli.mjs [--outdir DIR]
 *
 * bin/replguard.js runs the bundle. The bundle is built like the Lambda functions' (serverless.yml
 * custom.esbuild): the IAM simulator's data embedded (the services ReplGuard simulates), zod's English
 * messages only, minified with names kept, a `require` for bundled CommonJS. The build fails if the
 * bundle still imports anything but a Node built-in.
 */
import { builtinModules, createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { iamData, zodEnglishOnly } = require('../infra/esbuild-plugins.cjs');
const { NOTICES_FILE, thirdPartyLicenses } = require('../infra/third-party-licenses.cjs');

export const BUNDLE_FILE = 'replguard.mjs';
export { NOTICES_FILE };

/** ReplGuard's version, from its package.json (shared/version.ts is kept equal to it by a unit test). */
export const version = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/**
 * Builds the CLI bundle and its notices into `outdir` (default dist/).
 * @returns {Promise<{ bundle: string, notices: string }>} their paths
 */
export const buildCli = async ({ outdir = join(ROOT, 'dist') } = {}) => {
  mkdirSync(outdir, { recursive: true });
  const bundle = join(outdir, BUNDLE_FILE);
  const notices = join(outdir, NOTICES_FILE);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['shared/cli/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    // REPLGUARD_BUILD_UNMINIFIED=1 keeps the code readable (module paths as comments), to profile the bundle.
    minify: !process.env.REPLGUARD_BUILD_UNMINIFIED,
    // Class and function names survive minification, as in the Lambda bundles: error types stay readable.
    keepNames: true,
    treeShaking: true,
    // Licence comments of the bundled sources stay, at the end; the full texts are in THIRD_PARTY_LICENSES.
    legalComments: 'eof',
    // ESM output: bundled CommonJS dependencies still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __replguardCreateRequire } from 'node:module'; const require = __replguardCreateRequire(import.meta.url);",
    },
    plugins: [
      iamData(),
      zodEnglishOnly(),
      thirdPartyLicenses({
        title: () => `ReplGuard ${version()}, CLI bundle dist/${BUNDLE_FILE}`,
        destinations: () => [notices],
      }),
    ],
    logLevel: 'warning',
  });
  const builtins = new Set(builtinModules);
  const foreign = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !i.path.startsWith('node:') && !builtins.has(i.path))
    .map((i) => i.path);
  if (foreign.length > 0)
    throw new Error(`${relative(ROOT, bundle)} imports ${[...new Set(foreign)].join(', ')}: bundle them`);
  return { bundle, notices };
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const { bundle, notices } = await buildCli(values.outdir ? { outdir: resolve(values.outdir) } : {});
  const shown = (path) =>
    relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);
  console.log(`built ${shown(bundle)} and ${shown(notices)}`);
}
