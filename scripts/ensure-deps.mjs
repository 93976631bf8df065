#!/usr/bin/env node
// Installs what `npm test`, `npm run demo` and friends need on a fresh clone, with nothing but Node:
//   - node_modules (`npm ci`) when it is missing;
//   - the project-local Python virtualenv .venv with the AWS emulator (moto) and cfn-lint pinned in
//     test/emulator/requirements.txt (created on first use, re-installed when that file changes).
// Fast when everything is in place. Exits 1 with a one-paragraph explanation when Python is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from '../test/emulator/venv.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(join(root, 'node_modules'))) {
  console.error('node_modules is missing: running `npm ci` ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { status } = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`\`npm ci\` failed (exit ${status}).`);
    process.exit(1);
  }
}

try {
  ensureVenv({ root });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
