/**
 * Test isolation: each test file acts in its own account (accounts.ts), and accounts do not see each other's
 * buckets. STS AssumeRole credentials act in the role's account, as in AWS.
 */
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const home = testAccount('integration/emulator/isolation');
const other = testAccount('integration/emulator/isolation#other');

const names = async (s3: S3Client) =>
  ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

describe('accounts (emulator)', () => {
  it('derives a stable 12-digit account per test file, never moto default 123456789012', () => {
    expect(home).toMatch(/^[1-9]\d{11}$/);
    expect(testAccount('integration/emulator/isolation')).toBe(home);
    expect(other).not.toBe(home);
    expect(testAccount(new URL('../../x.test.ts', import.meta.url).href)).toBe(testAccount('test/x.test.ts'));
  });

  it('keeps the buckets of two accounts apart', async () => {
    const a = withAccount(new S3Client(emulatorClientConfig(endpoint)), home);
    const b = withAccount(new S3Client(emulatorClientConfig(endpoint)), other);
    await a.send(new CreateBucketCommand({ Bucket: `only-a-${home}` }));
    await b.send(new CreateBucketCommand({ Bucket: `only-b-${other}` }));
    expect(await names(a)).toStrictEqual([`only-a-${home}`]);
    expect(await names(b)).toStrictEqual([`only-b-${other}`]);
    await expect(b.send(new CreateBucketCommand({ Bucket: `only-a-${home}` }))).rejects.toMatchObject({
      name: 'BucketAlreadyExists',
    });
  });

  it('acts in the role account with credentials from a cross-account AssumeRole', async () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${home}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    const iam = withAccount(new IAMClient(emulatorClientConfig(endpoint)), other);
    await iam.send(new CreateRoleCommand({ RoleName: 'ReplGuardReadOnly', AssumeRolePolicyDocument: trust }));
    const sts = withAccount(new STSClient(emulatorClientConfig(endpoint)), home);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${other}:role/ReplGuardReadOnly`,
        RoleSessionName: 'test',
      }),
    );
    const credentials = {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
    const assumed = new STSClient({ ...emulatorClientConfig(endpoint), credentials });
    expect((await assumed.send(new GetCallerIdentityCommand({}))).Account).toBe(other);
    expect(await names(new S3Client({ ...emulatorClientConfig(endpoint), credentials }))).toStrictEqual([
      `only-b-${other}`,
    ]);
  });
});
