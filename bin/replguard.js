#!/usr/bin/env node
// Entry point of the `replguard` command. Uses the bundled build when present (npm run build),
// otherwise runs the TypeScript sources through tsx (a development dependency).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const built = fileURLToPath(new URL('../dist/replguard.mjs', import.meta.url));
let mod;
if (existsSync(built)) {
  mod = await import(built);
} else {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport('../shared/cli/main.ts', import.meta.url);
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
