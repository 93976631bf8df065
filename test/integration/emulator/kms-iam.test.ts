/**
 * Patches `kms` (keys behind `alias/aws/*` are AWS managed, with AWS's key policy; GetKeyPolicy without
 * PolicyName means `default`) and `iam` (AWS managed policies exist; GetPolicyVersion documents are
 * URL-encoded like every IAM policy document), plus reads that moto already answers faithfully.
 */
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/kms-iam');
const kms = withAccount(new KMSClient(emulatorClientConfig(endpoint, 'us-west-2')), account);
const iam = withAccount(new IAMClient(emulatorClientConfig(endpoint)), account);

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('KMS (emulator)', () => {
  it('describes the AWS managed key behind alias/aws/s3 as KeyManager AWS with a policy limited to S3', async () => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    expect(KeyMetadata).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled', AWSAccountId: account });
    const { Policy } = await kms.send(
      new GetKeyPolicyCommand({ KeyId: KeyMetadata?.Arn, PolicyName: 'default' }),
    );
    expect(JSON.parse(Policy ?? '{}')).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Condition: {
            StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          },
        }),
      ]),
    });
  });

  it('reads a key policy without PolicyName (the default policy), by key ARN', async () => {
    const policy = doc({
      Sid: 'root',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: policy }));
    expect(KeyMetadata?.KeyManager).toBe('CUSTOMER');
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata?.Arn }))).Policy).toBe(policy);
  });

  it('already resolves an alias ARN in DescribeKey', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(
      new CreateAliasCommand({ AliasName: 'alias/phi-replica', TargetKeyId: KeyMetadata?.KeyId }),
    );
    const described = await kms.send(
      new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-west-2:${account}:alias/phi-replica` }),
    );
    expect(described.KeyMetadata?.Arn).toBe(KeyMetadata?.Arn);
  });
});

describe('IAM (emulator)', () => {
  it('returns GetPolicyVersion documents URL-encoded, as AWS does', async () => {
    const document = doc({
      Effect: 'Allow',
      Action: 's3:GetObjectVersionForReplication',
      Resource: 'arn:aws:s3:::src/*',
    });
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'replication', PolicyDocument: document }),
    );
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: Policy?.Arn, VersionId: Policy?.DefaultVersionId }),
    );
    expect(PolicyVersion?.Document).toMatch(/^%7B/);
    expect(decodeURIComponent(PolicyVersion?.Document ?? '')).toBe(document);
  });

  it('knows AWS managed policies in every account', async () => {
    const arn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''))).toMatchObject({
      Statement: expect.any(Array),
    });
  });

  it('already returns a role with its permissions boundary and URL-encoded trust policy', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'boundary',
        PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      }),
    );
    const trust = doc({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'replication',
        AssumeRolePolicyDocument: trust,
        PermissionsBoundary: Policy?.Arn,
      }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'replication' }));
    expect(Role?.PermissionsBoundary).toStrictEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: Policy?.Arn,
    });
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(trust);
  });
});
