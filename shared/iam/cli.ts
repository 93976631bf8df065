/**
 * Writes the derived read statements into infra/member-account.yml (between its markers):
 *
 *   npx tsx shared/iam/cli.ts member-account          # rewrite
 *   npx tsx shared/iam/cli.ts member-account --check  # exit 1 when the template is out of date
 *   npx tsx shared/iam/cli.ts statements              # print both derived policies as JSON
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { derivePolicies } from './index.js';
import { replaceDerivedBlock } from './render.js';

const MEMBER_TEMPLATE = fileURLToPath(new URL('../../infra/member-account.yml', import.meta.url));

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, flag] = argv;
  const policies = await derivePolicies();
  if (command === 'statements') {
    console.log(JSON.stringify(policies, null, 2));
    return 0;
  }
  if (command === 'member-account') {
    const current = await readFile(MEMBER_TEMPLATE, 'utf8');
    const next = replaceDerivedBlock(current, policies.memberReads);
    if (flag === '--check') {
      if (next === current) return 0;
      console.error(
        'infra/member-account.yml is out of date: run `npx tsx shared/iam/cli.ts member-account`',
      );
      return 1;
    }
    if (next !== current) await writeFile(MEMBER_TEMPLATE, next);
    console.log(
      next === current ? 'infra/member-account.yml is up to date' : 'infra/member-account.yml updated',
    );
    return 0;
  }
  console.error('usage: tsx shared/iam/cli.ts member-account [--check] | statements');
  return 2;
};

process.exitCode = await main(process.argv.slice(2));
