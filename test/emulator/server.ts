/**
 * Starts and stops the AWS emulator: moto with ReplGuard's fidelity patches (moto_launcher.py), run by the
 * project virtualenv's Python on 127.0.0.1 and a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, venvPython } from './install.js';

export const LAUNCHER = join(ROOT, 'test', 'emulator', 'moto_launcher.py');

export interface Emulator {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to every AWS SDK client. */
  readonly endpoint: string;
  /** SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Python to run the launcher with; default the project virtualenv's (see install.ts). */
  readonly python?: string;
  /** How long to wait for `MOTO_READY`. Default 60 s (the first start compiles moto's bytecode). */
  readonly timeoutMs?: number;
  /** Environment of the emulator process; default this process's (e.g. `REPLGUARD_MOTO_UNPATCHED`). */
  readonly env?: NodeJS.ProcessEnv;
}

const STDERR_TAIL_BYTES = 8_000;
const STOP_GRACE_MS = 5_000;

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Spawns the launcher and resolves once it prints `MOTO_READY <url>`; rejects with its stderr tail otherwise. */
export const startEmulator = async (options: StartOptions = {}): Promise<Emulator> => {
  const python = options.python ?? venvPython();
  const timeoutMs = options.timeoutMs ?? 60_000;
  // stdin stays open as a pipe: the launcher exits when it closes, so a killed test run leaves no server behind.
  const child = spawn(python, [LAUNCHER, '0', '--exit-with-stdin'], {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  // Always drained (moto logs every request there), only the tail is kept for error messages.
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const stderrTail = () => (stderr.trim() ? `\n--- emulator stderr (tail) ---\n${stderr.trim()}` : '');

  const endpoint = await new Promise<string>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      if (!exited(child)) child.kill('SIGKILL');
      reject(new Error(`${message}${stderrTail()}`));
    };
    const timer = setTimeout(
      () => fail(`The AWS emulator (${LAUNCHER}) did not print MOTO_READY within ${timeoutMs} ms.`),
      timeoutMs,
    );
    child.once('error', (error) =>
      fail(`Could not start the AWS emulator with ${python}: ${error.message}.`),
    );
    child.once('exit', (code, signal) =>
      fail(`The AWS emulator exited before it was ready (${signal ?? `exit code ${code}`}).`),
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const ready = /^MOTO_READY (\S+)/.exec(line);
      if (!ready?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(ready[1]);
    });
  });

  return {
    endpoint,
    async stop() {
      if (exited(child)) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
      child.stdin?.destroy();
    },
  };
};

/** Clears every account's state in the emulator (`POST /moto-api/reset`). */
export const resetEmulator = async (endpoint: string): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`Resetting the AWS emulator failed: HTTP ${response.status}`);
};

/**
 * Waits until the emulator's queued live-replication copies and Batch Replication job steps have run
 * (`GET /replguard/replication/drain`, patches `s3-replication` and `s3control-jobs`).
 */
export const drainReplication = async (endpoint: string, timeoutMs = 20_000): Promise<void> => {
  const response = await fetch(`${endpoint}/replguard/replication/drain?timeoutMs=${timeoutMs}`);
  const body = (await response.json()) as { Drained?: boolean };
  if (!response.ok || body.Drained !== true)
    throw new Error(
      `The emulator's replication did not drain within ${timeoutMs} ms (HTTP ${response.status})`,
    );
};
