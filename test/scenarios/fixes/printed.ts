/**
 * Runs one printed fix command as an on-call engineer would: `aws …` with the AWS CLI, `replguard …` (the
 * backfill step) with ReplGuard's own CLI, each with credentials of the account the step names.
 */
import { replguardCli } from '../../integration/cli/replguard.js';
import { awsCli, type CliOutcome } from './awsCli.js';

export const runPrinted = async (endpoint: string, account: string, command: string): Promise<CliOutcome> => {
  if (!command.startsWith('replguard ')) return awsCli(endpoint, account, command);
  if (/["'$`\\|;&]/.test(command)) throw new Error(`a replguard step must be plain words: ${command}`);
  return replguardCli(endpoint, () => account)(command.split(/\s+/).slice(1));
};
