/**
 * `--debug` ends with one stderr line naming the AWS API calls the command made, by operation (what the
 * benchmarks read from the built CLI, bench/org/cli.ts); without it nothing of the kind is printed.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { replguardCli } from './replguard.js';

const endpoint = inject('emulatorEndpoint');
const CALLS = /^replguard: debug: AWS API calls (\{.*\})$/;

describe('replguard --debug', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  const replguard = replguardCli(endpoint, () => env.home);

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/debug') });
    pair = await env.replicatedPair({ name: 'debug-calls', ...HEALTHY });
  });

  it('prints the API calls of the scan by operation, their total, as the last line on stderr', async () => {
    const { code, stderr } = await replguard(['scan', '--bucket', pair.source.name, '--debug']);
    expect(code).toBe(0);
    const match = CALLS.exec(stderr.trimEnd().split('\n').at(-1) ?? '');
    expect(match).not.toBeNull();
    const calls = JSON.parse(match?.[1] ?? '{}') as { total: number; byOperation: Record<string, number> };
    expect(calls.byOperation['S3:GetBucketReplication']).toBeGreaterThanOrEqual(1);
    expect(calls.byOperation['S3:GetBucketVersioning']).toBe(2); // the source and its destination
    expect(calls.total).toBe(Object.values(calls.byOperation).reduce((a, b) => a + b, 0));
  });

  it('prints them also when the command fails', async () => {
    const { code, stderr } = await replguard(['scan', '--bucket', 'debug-no-such-bucket-xyz', '--debug']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^replguard: debug: AWS API calls \{"total":\d+/m);
  });

  it('prints nothing of the kind without --debug', async () => {
    const { stderr } = await replguard(['scan', '--bucket', pair.source.name]);
    expect(stderr).not.toContain('AWS API calls');
  });
});
