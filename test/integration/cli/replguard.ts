/** Runs the `replguard` CLI in-process against the emulator, as `home` would, capturing what it prints. */
import { run } from '../../../shared/cli/main.js';
import { emulatorFactoryOptions, type FactoryOptions } from '../../scenarios/builder/clients.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const replguardCli =
  (endpoint: string, home: () => string, options: FactoryOptions = {}) =>
  async (argv: readonly string[]): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      argv,
      { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTty: false },
      emulatorFactoryOptions(endpoint, home(), options),
    );
    return { code, stdout, stderr };
  };
