#!/usr/bin/env node
// Entry point of the `replguard` command. Runs the bundle dist/replguard.mjs (npm run build), which holds
// every dependency: an installed package (npm run pack:cli) has nothing else. In a checkout, the
// TypeScript sources run through tsx (a development dependency) when there is no bundle or when a source
// is newer than it, so a stale build never hides an edit.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const bundle = fileURLToPath(new URL('../dist/replguard.mjs', import.meta.url));
const sources = fileURLToPath(new URL('../shared/', import.meta.url));

/** Newest modification time of the CLI's sources and the lockfile (only in a checkout). */
const newestSource = () =>
  Math.max(
    ...[fileURLToPath(new URL('../package-lock.json', import.meta.url))]
      .concat(readdirSync(sources, { recursive: true }).map((file) => join(sources, file)))
      .map((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );

const bundleUrl = new URL('../dist/replguard.mjs', import.meta.url).href;
const built = existsSync(bundle);
const stale = built && existsSync(sources) && newestSource() > statSync(bundle).mtimeMs;
let mod;
if (built && !stale) mod = await import(bundleUrl);
else {
  // Without tsx (a production install of a checkout) a stale bundle still runs, as built.
  const tsx = await import('tsx/esm/api').catch((error) => {
    if (built) return undefined;
    throw error;
  });
  mod = tsx ? await tsx.tsImport('../shared/cli/main.ts', import.meta.url) : await import(bundleUrl);
}
const ask = process.stdin.isTTY
  ? async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    }
  : undefined;
const code = await mod.run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
  ...(ask ? { ask } : {}),
});
process.exitCode = code;
