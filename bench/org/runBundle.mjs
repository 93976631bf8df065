// Runs a built CLI bundle as bin/replguard.js runs dist/replguard.mjs, from any path, so a benchmark measures the
// bundle of the sources it built (bin/replguard.js falls back to tsx when a source is newer than dist/):
//   node bench/org/runBundle.mjs /tmp/…/replguard.mjs scan --all --format json
import { pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const [bundle, ...argv] = process.argv.slice(2);
const mod = await import(pathToFileURL(bundle).href);
process.exitCode = await mod.run(argv, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: false,
});
