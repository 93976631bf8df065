#!/usr/bin/env node
// Validates every CloudFormation template ReplGuard ships with cfn-lint (PyPI, pinned in
// test/emulator/requirements.txt, installed in the project virtualenv .venv by scripts/ensure-deps.mjs):
//   - the stack osls generates (.serverless/cloudformation-template-update-stack.json), packaged
//     first when it is missing or older than its inputs;
//   - the standalone templates infra/*.yml (member account role, replication monitoring, IAM events
//     forwarder). infra/stack/*.yml are fragments of serverless.yml, linted as part of the stack.
// Exits non-zero on any error; warnings are printed and allowed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cfnLint = join(root, '.venv', 'bin', 'cfn-lint');
const generated = join(root, '.serverless', 'cloudformation-template-update-stack.json');
const STACK_INPUTS = ['serverless.yml', 'infra', 'shared', 'functions', 'package-lock.json'];

/** Newest modification time under `path` (files and directories, recursively). */
const newest = (path) => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
};

const run = (command, args) => {
  console.log(`$ ${[relative(root, command) || command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
};

if (!existsSync(cfnLint)) {
  console.error(
    `cfn-lint is not installed in ${relative(root, cfnLint)}: run \`node scripts/ensure-deps.mjs\`.`,
  );
  process.exit(2);
}

// The tests take this lock while they package (test/unit/infra/cfn.ts): packaging empties .serverless/.
const lock = join(root, '.serverless.lock');
for (let waited = 0; ; waited += 250) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (waited > 300_000) {
      console.error(`${relative(root, lock)} held for 5 minutes: remove it if no packaging is running.`);
      process.exit(2);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));

const inputsChanged = Math.max(...STACK_INPUTS.map((p) => newest(join(root, p))));
if (!existsSync(generated) || statSync(generated).mtimeMs < inputsChanged) {
  console.log('The generated template is missing or stale: packaging first (offline).');
  const status = run(join(root, 'node_modules', '.bin', 'osls'), ['package', '--stage', 'dev']);
  if (status !== 0) process.exit(status);
}

const standalone = readdirSync(join(root, 'infra'))
  .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
  .sort()
  .map((f) => join('infra', f));

// cfn-lint exit codes are a bit mask: 2 = errors, 4 = warnings, 8 = informational, 1 = failure to run.
// Regions where healthcare teams commonly run PHI workloads: resource types and runtimes are checked in each.
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'eu-west-1'];
const status = run(cfnLint, ['--regions', ...REGIONS, '--', relative(root, generated), ...standalone]);
const failed = (status & 1) !== 0 || (status & 2) !== 0;
console.log(
  failed
    ? `cfn-lint found errors (exit ${status}).`
    : `cfn-lint: no errors in ${standalone.length + 1} templates${status === 0 ? ', no warnings' : ' (warnings above)'}.`,
);
process.exit(failed ? 1 : 0);
