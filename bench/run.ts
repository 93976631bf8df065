/**
 * `npm run bench`: runs every benchmark in turn, each in its own process (each starts what it needs, such as
 * the emulator), and writes its results under bench/results/. Pass names to run a subset:
 *   npm run bench -- evaluate storm
 * `org` (an Organization of 100 accounts × 20 buckets) and `prowler` (installs Prowler from PyPI, then runs it
 * beside ReplGuard) take several minutes each: run them alone with `npm run bench -- org` or `-- prowler`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ALL = ['evaluate', 'scan', 'storm', 'bundle', 'backfill', 'org', 'prowler'] as const;
const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknownNames = wanted.filter((w) => !(ALL as readonly string[]).includes(w));
if (unknownNames.length > 0) {
  process.stderr.write(
    `bench: unknown benchmark(s) ${unknownNames.join(', ')}; choose from ${ALL.join(', ')}\n`,
  );
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : ALL) {
  const script = `bench/${name}/run.ts`;
  if (!existsSync(`${root}/${script}`)) {
    process.stderr.write(`bench: ${script} is missing\n`);
    failed++;
    continue;
  }
  process.stdout.write(`\n== bench/${name}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
