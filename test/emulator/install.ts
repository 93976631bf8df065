/**
 * Installs what the AWS emulator needs: a project-local virtualenv `.venv/` (git-ignored) with the pinned
 * `moto[server]` and `cfn-lint` of test/emulator/requirements.txt. Created with `python3 -m venv` on first use,
 * re-installed when requirements.txt changes (a stamp in .venv holds its hash). Needs Python >= 3.10 with venv;
 * otherwise it throws one paragraph saying what to install.
 *
 * The implementation is plain JS (venv.mjs) because scripts/ensure-deps.mjs runs it before `npm ci`.
 */
export { ensureVenv, REQUIREMENTS, ROOT, venvPython } from './venv.mjs';
