/**
 * What the benchmarks that talk to the emulator share: the emulator itself (a running one with `--endpoint`,
 * else one started for the run) and the machine's load averages as the results print them.
 */
import { loadavg } from 'node:os';

export interface BenchEmulator {
  readonly endpoint: string;
  readonly stop: () => Promise<void>;
}

/** The emulator at `endpoint` (left running), or a new one on a free loopback port. */
export const emulatorFor = async (endpoint: string | undefined): Promise<BenchEmulator> => {
  if (endpoint) return { endpoint, stop: async () => undefined };
  const { startEmulator } = await import('../test/emulator/server.js');
  return startEmulator();
};

/** The 1, 5 and 15 minute load averages, `a / b / c`. */
export const loadAverages = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
