#!/usr/bin/env node
/**
 * Packs the `replguard` CLI as an npm package that installs with nothing to download
 * (`npm run pack:cli`):
 *
 *   dist/package/                 what the package holds: package.json (bin, no dependencies),
 *                                 bin/replguard.js, dist/replguard.mjs, README.md, LICENSE, THIRD_PARTY_LICENSES
 *   dist/replguard-<version>.tgz  `npm pack` of it
 *
 *   node scripts/pack-cli.mjs [--outdir DIR]
 *   npm install -g ./dist/replguard-<version>.tgz
 *
 * The project's own package.json is the Lambda project's (its dependencies are what the functions
 * bundle): packing it would make every install fetch the AWS SDK. The bundle already holds every
 * dependency, so the CLI's package declares none. Builds the bundle first (scripts/build-cli.mjs).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUNDLE_FILE, buildCli, NOTICES_FILE } from './build-cli.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The CLI package's manifest, from the project's: same name, version, licence and Node floor. */
export const cliManifest = (project) => ({
  name: project.name,
  version: project.version,
  description: project.description,
  license: project.license,
  type: 'module',
  bin: { replguard: 'bin/replguard.js' },
  engines: project.engines,
  files: ['bin/replguard.js', `dist/${BUNDLE_FILE}`, NOTICES_FILE],
});

/**
 * Builds the CLI, lays out its package in `<outdir>/package` and packs it into `<outdir>`.
 * @returns {Promise<{ tarball: string, packageDir: string, bundle: string }>}
 */
export const packCli = async ({ outdir = join(ROOT, 'dist') } = {}) => {
  const packageDir = join(outdir, 'package');
  rmSync(packageDir, { recursive: true, force: true });
  const { bundle, notices } = await buildCli({ outdir: join(packageDir, 'dist') });
  const project = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(cliManifest(project), null, 2)}\n`);
  mkdirSync(join(packageDir, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'replguard.js'), join(packageDir, 'bin', 'replguard.js'));
  copyFileSync(join(ROOT, 'README.md'), join(packageDir, 'README.md'));
  copyFileSync(join(ROOT, 'LICENSE'), join(packageDir, 'LICENSE'));
  // The notices belong at the package's root, beside LICENSE.
  copyFileSync(notices, join(packageDir, NOTICES_FILE));
  rmSync(notices);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', outdir], {
      cwd: packageDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  if (!packed || packed.files.every((f) => f.path !== `dist/${BUNDLE_FILE}`))
    throw new Error(`npm pack in ${packageDir} did not pack dist/${BUNDLE_FILE}`);
  return { tarball: join(outdir, packed.filename), packageDir, bundle };
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const { tarball } = await packCli(values.outdir ? { outdir: resolve(values.outdir) } : {});
  const shown = relative(process.cwd(), tarball);
  console.log(`packed ${shown.startsWith('..') ? tarball : shown}`);
}
