/**
 * vitest global setup: installs the emulator if needed, starts it once for the whole run and hands its endpoint
 * to tests (`inject('emulatorEndpoint')`) and to child processes (`REPLGUARD_EMULATOR_ENDPOINT`).
 * Credentials are dummies, so nothing can reach a real AWS account.
 */
import type { TestProject } from 'vitest/node';
import { ensureVenv } from './install.js';
import { type Emulator, startEmulator } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorEndpoint: string;
  }
}

let emulator: Emulator | undefined;

export async function setup(project: TestProject): Promise<void> {
  Object.assign(process.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  ensureVenv();
  emulator = await startEmulator();
  process.env.REPLGUARD_EMULATOR_ENDPOINT = emulator.endpoint;
  project.provide('emulatorEndpoint', emulator.endpoint);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
  emulator = undefined;
}
