#!/usr/bin/env node
/**
 * Patch for @cloud-copilot/iam-simulate@0.1.173 (run by npm `postinstall`).
 *
 * Defect: iam-simulate only understands context-key templates whose variable part follows
 * a slash (`aws:PrincipalTag/${TagKey}`). KMS uses a colon-style template,
 * `kms:EncryptionContext:${EncryptionContextKey}`. Two places in the dist code assume
 * slash-style templates:
 *   - simulation_engine/simulationEngine.js `listHasVariableKeyMatch`: a request-context key such
 *     as `kms:EncryptionContext:aws:s3:arn` is not matched against the action's allowed keys,
 *     so it is dropped into `ignoredContextKeys`;
 *   - context_keys/contextKeys.js `replaceVariableInContextKey` (used by `normalizeContextKeyCase`):
 *     the key would be stored under the template name itself, so condition evaluation could
 *     never resolve its value.
 * The condition then fails as missing and a correct policy is reported ImplicitlyDenied.
 *
 * Why it matters: AWS's own S3 replication role policies condition `kms:Decrypt`/`kms:Encrypt`
 * on `kms:EncryptionContext:aws:s3:arn`, so every correct replication setup with SSE-KMS
 * would be flagged as broken.
 *
 * Reproduction: identity policy allowing `kms:Decrypt` on a key with
 *   Condition: { StringLike: { "kms:ViaService": "s3.us-east-1.amazonaws.com",
 *                              "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::src/*"] } }
 * key policy `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},
 *              "Action":"kms:*","Resource":"*"}`,
 * request context { "kms:ViaService": "s3.us-east-1.amazonaws.com",
 *                   "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::src/a.pdf" }:
 * expected Allowed, 0.1.173 returns ImplicitlyDenied. See test/unit/scripts/patch-iam-simulate.test.ts.
 *
 * The patch makes templates whose variable part follows a colon and runs to the end of the key
 * recognised (prefix compared case-insensitively), case-normalised (prefix in the spec's case,
 * variable part kept as given) and therefore resolved during condition evaluation. It patches
 * both dist/esm and dist/cjs with exact string replacements; it fails loudly if the installed
 * version is not 0.1.173 or a target is missing, and does nothing if already patched.
 *
 * REMOVE this script (and the `postinstall` entry) once upstream iam-simulate handles
 * colon-style variable context keys.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@cloud-copilot/iam-simulate';
const EXPECTED_VERSION = '0.1.173';
const MARKER = '/* replguard-patch: colon-variable-context-keys */';

const PATCHES = [
  {
    file: 'simulation_engine/simulationEngine.js',
    find: `function listHasVariableKeyMatch(lowerCaseKey, contextVariables) {
    const firstSlashIndex = lowerCaseKey.indexOf('/');`,
    replace: `function listHasVariableKeyMatch(lowerCaseKey, contextVariables) {
    ${MARKER}
    for (const variable of contextVariables) {
        const variableIndex = variable.indexOf('\${');
        if (variableIndex > 0 && variable[variableIndex - 1] === ':' &&
            variable.indexOf('}', variableIndex) === variable.length - 1 &&
            lowerCaseKey.length > variableIndex &&
            lowerCaseKey.startsWith(variable.slice(0, variableIndex))) {
            return true;
        }
    }
    const firstSlashIndex = lowerCaseKey.indexOf('/');`,
  },
  {
    file: 'context_keys/contextKeys.js',
    find: `function replaceVariableInContextKey(specKey, actualKey) {
    const slashIndex = specKey.indexOf('/');`,
    replace: `function replaceVariableInContextKey(specKey, actualKey) {
    ${MARKER}
    const variableIndex = specKey.indexOf('\${');
    if (variableIndex > 0 && specKey[variableIndex - 1] === ':' &&
        specKey.indexOf('}', variableIndex) === specKey.length - 1 &&
        actualKey.length > variableIndex &&
        actualKey.slice(0, variableIndex).toLowerCase() === specKey.slice(0, variableIndex).toLowerCase()) {
        return specKey.slice(0, variableIndex) + actualKey.slice(variableIndex);
    }
    const slashIndex = specKey.indexOf('/');`,
  },
];

function fail(message) {
  console.error(`patch-iam-simulate: ${message}`);
  process.exit(1);
}

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
let packageDir;
try {
  // Resolves dist/cjs/index.js (the package's `require` export), wherever npm placed it.
  const entry = createRequire(join(projectRoot, 'package.json')).resolve(PACKAGE);
  packageDir = join(dirname(entry), '..', '..');
} catch {
  fail(`${PACKAGE} is not installed (run from ${projectRoot}); cannot apply the patch.`);
}

const packageJsonPath = join(packageDir, 'package.json');
const version = JSON.parse(readFileSync(packageJsonPath, 'utf8')).version;
if (version !== EXPECTED_VERSION) {
  fail(
    `${packageJsonPath} is version ${version}, but this patch targets ${EXPECTED_VERSION}. ` +
      'Check whether upstream fixed colon-style variable context keys (kms:EncryptionContext:*); ' +
      'if so remove scripts/patch-iam-simulate.mjs and the postinstall entry, otherwise re-derive the patch.',
  );
}

// Compute every change first so that a missing target leaves no file half-patched.
const patched = new Map(); // path -> new text
for (const flavour of ['esm', 'cjs']) {
  for (const { file, find, replace } of PATCHES) {
    const path = join(packageDir, 'dist', flavour, file);
    const shown = relative(projectRoot, path);
    let source = patched.get(path);
    if (source === undefined) {
      try {
        source = readFileSync(path, 'utf8');
      } catch {
        fail(`${shown} not found; the ${PACKAGE} layout differs from ${EXPECTED_VERSION}.`);
      }
    }
    if (source.includes(replace)) continue; // already patched
    const occurrences = source.split(find).length - 1;
    if (occurrences !== 1) {
      fail(`${shown}: expected exactly one occurrence of the patch target, found ${occurrences}:\n${find}`);
    }
    patched.set(
      path,
      source.replace(find, () => replace),
    );
  }
}
for (const [path, source] of patched) writeFileSync(path, source);
