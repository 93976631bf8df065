// Third-party licence notices for every bundle ReplGuard ships: the Lambda function zips
// (serverless.yml custom.esbuild, through infra/esbuild-plugins.cjs) and the CLI (scripts/build-cli.mjs).
//
// A bundle carries code of the npm packages it imports, so it must carry their licences too (Apache-2.0
// asks for its text and the NOTICE file, MIT for its permission notice, AGPL-3.0 for its text and a note
// of any modification). `thirdPartyLicenses` asks esbuild for the bundle's metafile, takes every
// node_modules package that put bytes into the output, and writes THIRD_PARTY_LICENSES: the list of those
// packages (name, version, declared licence) and the licence text found in each package's folder
// (LICENSE, NOTICE, COPYING), each distinct text once with the packages that ship it.
//
// A package whose folder has no licence file (some publish without one) gets its README's licence
// section and the standard text of its declared SPDX licence (spdx-license-list). A package with neither a
// declared licence nor a text fails the build: nothing ships without its notice.
'use strict';
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: osls and serverless-esbuild load this file with require() */

const fs = require('node:fs');
const path = require('node:path');

const NOTICES_FILE = 'THIRD_PARTY_LICENSES';
/** LICENSE, LICENCE.md, LICENSE-MIT, NOTICE.txt, COPYING: the files a package's licence text lives in. */
const LICENCE_FILE = /^(licen[cs]e|notice|copying)(-[\w.-]+)?(\.(md|txt|markdown|rst))?$/i;
/** Marker the install-time patches put into a package's files (scripts/patch-iam-simulate.mjs). */
const PATCH_MARKER = /\/\* replguard-patch: ([^*]+?) \*\//;

/** The folder of the package that owns `file` (…/node_modules/<name> or …/node_modules/@scope/<name>). */
const packageDirOf = (file) => {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const end = at + (parts[at + 1].startsWith('@') ? 3 : 2);
  return end < parts.length ? parts.slice(0, end).join(path.sep) : undefined;
};

/** `license` of a package.json as one SPDX expression (also the old `licenses: [{ type }]` form). */
const declaredLicence = (manifest) => {
  const { license, licenses } = manifest;
  if (typeof license === 'string' && license.trim()) return license.trim();
  if (license && typeof license.type === 'string') return license.type;
  if (Array.isArray(licenses) && licenses.length > 0)
    return licenses.map((l) => (typeof l === 'string' ? l : l.type)).join(' OR ');
  return undefined;
};

/** The README's licence section (heading "License"/"Licence" down to the next heading), if any. */
const readmeLicenceSection = (dir) => {
  const readme = fs.readdirSync(dir).find((f) => /^readme(\.md|\.markdown|\.txt)?$/i.test(f));
  if (!readme) return undefined;
  const text = fs.readFileSync(path.join(dir, readme), 'utf8').replace(/\r\n/g, '\n');
  const match = /^(#{1,6})\s*licen[cs]e\b[^\n]*\n([\s\S]*?)(?=^#{1,6}\s|(?![\s\S]))/im.exec(text);
  const body = match && match[2].replace(/<[^>]+>/g, '').trim();
  return body || undefined;
};

/** The licence text of a package: its own files, else its README section plus the standard SPDX text. */
const licenceText = (dir, manifest, licence) => {
  const files = fs
    .readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .sort();
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim();
  if (files.length === 1) return { text: read(files[0]), source: files[0] };
  if (files.length > 1)
    return { text: files.map((f) => `--- ${f} ---\n\n${read(f)}`).join('\n\n'), source: files.join(', ') };
  const standard = licence && require('spdx-license-list/full')[licence];
  if (!standard) {
    throw new Error(
      `${manifest.name}@${manifest.version} (${dir}) ships no licence file and declares ` +
        `${licence ? `"${licence}", which has no standard text` : 'no licence'}: it cannot be bundled without a notice.`,
    );
  }
  const readme = readmeLicenceSection(dir);
  return {
    text: [readme && `From the package's README:\n\n${readme}`, standard.licenseText.trim()]
      .filter(Boolean)
      .join('\n\n'),
    source: `no licence file in the package; ${readme ? "its README's licence section and " : ''}the standard ${licence} text`,
  };
};

/**
 * The third-party packages in a bundle, from esbuild's metafile: every node_modules package one of whose
 * files contributed bytes to an output (a file loaded but tree-shaken away ships no code), sorted by name.
 * @param {import('esbuild').Metafile} metafile
 * @param {string} workingDir esbuild's absWorkingDir: the metafile's paths are relative to it
 */
const bundledPackages = (metafile, workingDir) => {
  const filesByDir = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      // Tree-shaken away, or not a file (`namespace:path`, e.g. `(disabled):…`; a drive letter `C:\` is a file).
      if (bytesInOutput === 0 || /^\(?[\w-]+\)?:(?![\\/])/.test(input)) continue;
      const file = path.resolve(workingDir, input);
      const dir = packageDirOf(file);
      if (!dir) continue;
      if (!filesByDir.has(dir)) filesByDir.set(dir, []);
      filesByDir.get(dir).push(file);
    }
  }
  const packages = new Map();
  for (const [dir, files] of filesByDir) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const key = `${manifest.name}@${manifest.version}`;
    if (packages.has(key)) continue;
    const licence = declaredLicence(manifest);
    const { text, source } = licenceText(dir, manifest, licence);
    const patch = files
      .filter((f) => /\.[cm]?js$/.test(f))
      .map((f) => PATCH_MARKER.exec(fs.readFileSync(f, 'utf8')))
      .find(Boolean);
    packages.set(key, {
      name: manifest.name,
      version: manifest.version,
      licence: licence || 'see its licence text',
      text,
      source,
      modified: patch ? patch[1] : undefined,
    });
  }
  return [...packages.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
};

/**
 * The THIRD_PARTY_LICENSES text: a heading naming the bundle, one line per package, then each distinct
 * licence text once with the packages that ship it.
 * @param {string} title what the notices are for, e.g. "replguard 0.1.0, CLI bundle dist/replguard.mjs"
 * @param {ReturnType<typeof bundledPackages>} packages
 */
const renderNotices = (title, packages) => {
  const texts = [];
  const textIndex = new Map();
  const rows = packages.map((p) => {
    if (!textIndex.has(p.text)) {
      textIndex.set(p.text, texts.length + 1);
      texts.push({ text: p.text, packages: [] });
    }
    const n = textIndex.get(p.text);
    texts[n - 1].packages.push(p);
    const modified = p.modified
      ? `\n    modified: ReplGuard patches it when installed (${p.modified}; scripts/patch-${p.name.split('/').pop()}.mjs in ReplGuard's source)`
      : '';
    return `${p.name} ${p.version}\n    licence: ${p.licence}; text ${n}${modified}`;
  });
  const rule = '='.repeat(78);
  return [
    'THIRD-PARTY SOFTWARE NOTICES',
    title,
    '',
    `This bundle contains code from the ${packages.length} third-party packages listed below. Each is`,
    'distributed under the licence named, whose text follows the list as the package ships it (texts',
    'shared by several packages appear once). ReplGuard itself is licensed under AGPL-3.0-or-later.',
    '',
    ...rows,
    ...texts.flatMap(({ text, packages: ps }, i) => [
      '',
      rule,
      `Text ${i + 1}, for ${ps.map((p) => `${p.name} ${p.version}`).join(', ')}`,
      `(from ${[...new Set(ps.map((p) => p.source))].join('; ')})`,
      rule,
      '',
      text,
    ]),
    '',
  ].join('\n');
};

/**
 * esbuild plugin: writes the bundle's THIRD_PARTY_LICENSES after each successful build.
 * @param {{ title: (options: import('esbuild').BuildOptions) => string,
 *           destinations: (options: import('esbuild').BuildOptions) => string[] }} options
 *   the heading of the notices, and the files to write them to (none: write nothing)
 * @returns {import('esbuild').Plugin}
 */
const thirdPartyLicenses = ({ title, destinations }) => ({
  name: 'replguard-third-party-licenses',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.metafile) return;
      const targets = destinations(build.initialOptions);
      if (targets.length === 0) return;
      const workingDir = build.initialOptions.absWorkingDir || process.cwd();
      const text = renderNotices(title(build.initialOptions), bundledPackages(result.metafile, workingDir));
      for (const target of targets) {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, text);
      }
    });
  },
});

module.exports = { NOTICES_FILE, bundledPackages, renderNotices, thirdPartyLicenses, packageDirOf };
