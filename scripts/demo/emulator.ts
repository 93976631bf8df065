/** The demo's own AWS emulator: started before the sections, stopped after them, on error and on Ctrl-C. */
import { ensureVenv } from '../../test/emulator/install.js';
import { startEmulator } from '../../test/emulator/server.js';

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `fn` with a fresh emulator's endpoint. The emulator stops when `fn` settles, or when the process gets
 * SIGINT/SIGTERM (then the process exits 130/143). Its launcher also exits when this process dies.
 */
export const withEmulator = async <T>(
  fn: (endpoint: string) => Promise<T>,
  log: (line: string) => void,
): Promise<T> => {
  ensureVenv({ log });
  const emulator = await startEmulator();
  const onSignal = (signal: NodeJS.Signals) => {
    log(`\n${signal}: stopping the AWS emulator`);
    void emulator.stop().finally(() => process.exit(SIGNAL_EXIT[signal] ?? 1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(emulator.endpoint);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await emulator.stop();
  }
};
