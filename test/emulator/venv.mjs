/**
 * The project-local Python virtualenv (`.venv/`) that holds the AWS emulator (moto) and cfn-lint, pinned in
 * test/emulator/requirements.txt. Plain Node ESM with no dependencies, so that scripts/ensure-deps.mjs can use
 * it before `npm ci` has run; TypeScript code imports it through test/emulator/install.ts.
 *
 * Created on first use (`python3 -m venv .venv`, then `pip install -r`), re-installed when requirements.txt
 * changes: a stamp file in .venv holds the hash of the requirements it was installed from.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REQUIREMENTS = join(ROOT, 'test', 'emulator', 'requirements.txt');
const MIN_PYTHON = [3, 10];
const STAMP = '.replguard-requirements.sha256';

/** The virtualenv's own interpreter. */
export const venvPython = (root = ROOT) =>
  process.platform === 'win32'
    ? join(root, '.venv', 'Scripts', 'python.exe')
    : join(root, '.venv', 'bin', 'python');

/** What to install, in one paragraph: shown when Python is missing, too old or has no venv module. */
const missingPythonMessage = (found) =>
  `ReplGuard's local AWS emulator needs Python >= ${MIN_PYTHON.join('.')} with the venv module, to create ` +
  `its project-local virtualenv in .venv/ (${found}). Install it and run the command again: on Debian or ` +
  `Ubuntu \`sudo apt-get install python3 python3-venv\`, on Fedora \`sudo dnf install python3\`, on macOS ` +
  `\`brew install python@3.12\`, elsewhere Python 3.10 or newer from https://www.python.org/downloads/. ` +
  `Set REPLGUARD_PYTHON to use an interpreter that is not \`python3\` on the PATH.`;

const run = (command, args, options = {}) => spawnSync(command, args, { encoding: 'utf8', ...options });

const tail = (text, lines = 15) => (text ?? '').trim().split('\n').slice(-lines).join('\n');

/** The system Python used to create the virtualenv, checked for version and the venv/ensurepip modules. */
const systemPython = () => {
  const python = process.env.REPLGUARD_PYTHON || 'python3';
  const probe = run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  if (probe.error || probe.status !== 0) throw new Error(missingPythonMessage(`\`${python}\` was not found`));
  const version = probe.stdout.trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new Error(missingPythonMessage(`\`${python}\` is Python ${version}`));
  }
  // Debian's python3 ships `venv` without `ensurepip`; `python3 -m venv` then fails half-way.
  if (run(python, ['-c', 'import venv, ensurepip']).status !== 0) {
    throw new Error(missingPythonMessage(`\`${python}\` (Python ${version}) has no venv/ensurepip module`));
  }
  return python;
};

/**
 * Makes sure `.venv` exists with the pinned requirements installed; returns the path of its interpreter.
 * Fast when nothing changed (one hash and one file read). Throws an Error with a clear message otherwise.
 */
export const ensureVenv = ({ root = ROOT, log = (line) => console.error(line) } = {}) => {
  const requirements = readFileSync(REQUIREMENTS);
  const hash = createHash('sha256').update(requirements).digest('hex');
  const python = venvPython(root);
  const stamp = join(root, '.venv', STAMP);
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return python;

  if (!existsSync(python) || run(python, ['-c', 'import sys']).status !== 0) {
    const system = systemPython();
    log(`Creating the emulator's Python virtualenv in ${join(root, '.venv')} ...`);
    rmSync(join(root, '.venv'), { recursive: true, force: true });
    const created = run(system, ['-m', 'venv', join(root, '.venv')]);
    if (created.status !== 0) {
      throw new Error(`${missingPythonMessage('`python3 -m venv .venv` failed')}\n${tail(created.stderr)}`);
    }
  }
  log('Installing the emulator (moto) and cfn-lint into .venv from test/emulator/requirements.txt ...');
  const pip = [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-input',
    '-r',
    REQUIREMENTS,
  ];
  const installed = run(python, pip, { cwd: root });
  if (installed.status !== 0) {
    throw new Error(
      `pip could not install test/emulator/requirements.txt into .venv (exit ${installed.status}; network ` +
        `access to the Python package index is needed the first time):\n${tail(installed.stderr || installed.stdout)}`,
    );
  }
  writeFileSync(stamp, `${hash}\n`);
  return python;
};
