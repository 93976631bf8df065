/**
 * Runs one printed fix command as an on-call engineer would: `aws …` with the AWS CLI, `replguard …` (the
 * backfill step) with ReplGuard's own CLI, each with credentials of the account the step names.
 */
import { run } from '../../../shared/cli/main.js';
import { emulatorFactoryOptions } from '../builder/clients.js';
import { awsCli, type CliOutcome } from './awsCli.js';

export const runPrinted = async (endpoint: string, account: string, command: string): Promise<CliOutcome> => {
  if (!command.startsWith('replguard ')) return awsCli(endpoint, account, command);
  if (/["'$`\\|;&]/.test(command)) throw new Error(`a replguard step must be plain words: ${command}`);
  let stdout = '';
  let stderr = '';
  const code = await run(
    command.split(/\s+/).slice(1),
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTty: false },
    emulatorFactoryOptions(endpoint, account),
  );
  return { code, stdout, stderr };
};
