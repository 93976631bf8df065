/**
 * Test isolation in the one shared emulator: every test file acts in its own AWS account.
 *
 * moto keeps separate state per account and picks the account from the `x-moto-account-id` request header
 * (or from credentials returned by STS AssumeRole). Bucket names stay global across accounts, as in AWS.
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildMiddleware, MiddlewareStack } from '@smithy/types';

/** moto's default account: never used by tests, so nothing lands there by accident. */
const MOTO_DEFAULT_ACCOUNT = '123456789012';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A 12-digit account id derived from `seed` (the test file's name, e.g. `'integration/cli/scan'`, or its
 * `import.meta.url`, taken relative to the repository so it is the same on every machine). Deterministic,
 * never moto's default account, never starting with 0.
 */
export const testAccount = (seed: string): string => {
  const name = seed.startsWith('file:') ? relative(ROOT, fileURLToPath(seed)).split('\\').join('/') : seed;
  for (let attempt = 0; ; attempt++) {
    const digest = createHash('sha256')
      .update(attempt ? `${name}#${attempt}` : name)
      .digest();
    const id = String(100_000_000_000n + (digest.readBigUInt64BE(0) % 900_000_000_000n));
    if (id !== MOTO_DEFAULT_ACCOUNT) return id;
  }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every client's stack has its own input/output types
type AnyClient = { middlewareStack: MiddlewareStack<any, any> };

/**
 * Makes every request of `client` act in `accountId` in the emulator (header `x-moto-account-id`, added in
 * the build step so it is signed like any other header). Calling it again replaces the account. Returns `client`.
 */
export const withAccount = <C extends AnyClient>(client: C, accountId: string): C => {
  const middleware: BuildMiddleware<object, object> = (next) => async (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers) request.headers['x-moto-account-id'] = accountId;
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'build', name: 'motoAccountHeader', override: true });
  return client;
};

/** Client configuration for the emulator; accepted by every AWS SDK v3 client (`forcePathStyle` is for S3). */
export interface EmulatorClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

export const emulatorClientConfig = (endpoint: string, region = 'us-east-1'): EmulatorClientConfig => ({
  endpoint,
  region,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  forcePathStyle: true,
});
