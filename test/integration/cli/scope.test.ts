/**
 * `replguard scan` decides scope the way every function does (shared/scope): run in-process against the
 * emulator, with the one call moto cannot refuse (GetBucketTagging) refused by the client factory.
 */
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../../../shared/cli/main.js';
import { testAccount } from '../../emulator/accounts.js';
import { emulatorFactoryOptions } from '../../scenarios/builder/clients.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { putTags } from '../../scenarios/catalog/helpers.js';

const endpoint = inject('emulatorEndpoint');

interface JsonResult {
  readonly ruleId: string;
  readonly status: string;
  readonly bucket: string;
  readonly message: string;
  readonly details?: { readonly missingPermission?: string | null };
}

/** Runs `replguard` in-process, acting as `account`; returns the exit status and the JSON results. */
const replguard = async (env: Scenario, argv: string[], account = env.home, deny: string[] = []) => {
  let stdout = '';
  let stderr = '';
  const code = await run(
    [...argv, '--format', 'json'],
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTty: false },
    emulatorFactoryOptions(endpoint, account, { deny }),
  );
  const results = stdout ? (JSON.parse(stdout) as { results: JsonResult[] }).results : [];
  return { code, results, stderr };
};

describe('replguard scan: one scope for every caller', () => {
  let env: Scenario;
  let tagged: string;
  let sameAccount: ReplicationPath;
  let crossAccount: ReplicationPath;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/scope') });
    tagged = (await env.bucket({ name: 'scope-phi', tags: { DataClassification: 'PHI' } })).name;
    sameAccount = await env.replicatedPair({ name: 'scope-same', crossAccount: false });
    await putTags(env, sameAccount.destination, { DataClassification: 'PHI' });
    crossAccount = await env.replicatedPair({ name: 'scope-xacct', crossAccount: true });
    await putTags(env, crossAccount.destination, { DataClassification: 'PHI' });
  });

  it('scan --all with GetBucketTagging denied reports the tagged bucket UNKNOWN, naming s3:GetBucketTagging, and exits 1', async () => {
    const { code, results } = await replguard(env, ['scan', '--all'], env.home, ['S3:GetBucketTagging']);
    expect(code).toBe(1);
    const scope = results.filter((r) => r.bucket === tagged);
    expect(scope).toEqual([
      expect.objectContaining({
        ruleId: 'replication_configured',
        status: 'UNKNOWN',
        details: expect.objectContaining({ missingPermission: 's3:GetBucketTagging' }),
      }),
    ]);
    expect(scope[0]?.message).toContain('s3:GetBucketTagging');
  });

  it('scan --all with the tags readable keeps the tagged, unreplicated bucket and fails it', async () => {
    const { code, results } = await replguard(env, ['scan', '--all']);
    expect(code).toBe(1);
    expect(results.find((r) => r.bucket === tagged && r.ruleId === 'replication_configured')?.status).toBe(
      'NON_COMPLIANT',
    );
  });

  it('scan --bucket <replica-only destination> in the same account: no replication_configured failure', async () => {
    const { results } = await replguard(env, ['scan', '--bucket', sameAccount.destination.name]);
    const own = results.filter((r) => r.ruleId === 'replication_configured');
    expect(own).toEqual([expect.objectContaining({ status: 'NOT_APPLICABLE' })]);
    expect(own[0]?.message).toContain(`replicated from ${sameAccount.source.name}`);
  });

  it('scan --bucket <replica-only destination>, run by the DR account: its bucket policy is the evidence', async () => {
    const { results } = await replguard(
      env,
      ['scan', '--bucket', crossAccount.destination.name, '--region', crossAccount.destination.region],
      crossAccount.destination.account,
    );
    const own = results.filter((r) => r.ruleId === 'replication_configured');
    expect(own).toEqual([expect.objectContaining({ status: 'NOT_APPLICABLE' })]);
    expect(own[0]?.message).toContain('write replicas into it');
  });

  it('scan --bucket <the same bucket without the policy grant>: judged as a source and failed', async () => {
    const dst = crossAccount.destination;
    await env.clients(dst.account, dst.region).s3.send(
      new PutBucketPolicyCommand({
        Bucket: dst.name,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadOnly',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${dst.account}:root` },
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${dst.name}/*`,
            },
          ],
        }),
      }),
    );
    const { results } = await replguard(
      env,
      ['scan', '--bucket', dst.name, '--region', dst.region],
      dst.account,
    );
    expect(results.find((r) => r.ruleId === 'replication_configured')?.status).toBe('NON_COMPLIANT');
  });
});
