import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { ServiceId } from '../../../shared/aws/endpoint.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const home = testAccount('integration/aws/clientFactory');
const other = testAccount('integration/aws/clientFactory/other');

/** ReplGuard's factory acting as `home` in the emulator (the header selects the account for own clients). */
const factory = (userAgents?: string[]) =>
  new ClientFactory({
    endpointUrl: endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    decorate: (client, context) => {
      if (context.accountId === undefined) withAccount(client, home);
      if (userAgents)
        client.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers: Record<string, string> };
            userAgents.push(request.headers['user-agent'] ?? '');
            return next(args);
          },
          { step: 'finalizeRequest', name: 'captureUserAgent' },
        );
    },
  });

describe('ClientFactory against the emulator', () => {
  beforeAll(async () => {
    const s3Home = withAccount(new S3Client(emulatorClientConfig(endpoint)), home);
    const s3Other = withAccount(new S3Client(emulatorClientConfig(endpoint)), other);
    await s3Home.send(new CreateBucketCommand({ Bucket: 'factory-home-bucket' }));
    await s3Other.send(new CreateBucketCommand({ Bucket: 'factory-other-bucket' }));
    const iam = withAccount(new IAMClient(emulatorClientConfig(endpoint)), other);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'ReplGuardReadOnly',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${home}:root` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
  });

  it('counts calls per service and operation, and sends the replguard user agent', async () => {
    const agents: string[] = [];
    const f = factory(agents);
    const s3 = f.client(S3Client, ServiceId.S3);
    await s3.send(new ListBucketsCommand({}));
    await s3.send(new ListBucketsCommand({}));
    await f.homeAccountId();
    expect(f.counter.snapshot()).toEqual({ 'S3:ListBuckets': 2, 'STS:GetCallerIdentity': 1 });
    expect(f.counter.total()).toBe(3);
    expect(agents.every((a) => /replguard\/\d+\.\d+\.\d+/.test(a))).toBe(true);
  });

  it('caches clients per service, Region and account', () => {
    const f = factory();
    expect(f.client(S3Client, ServiceId.S3)).toBe(f.client(S3Client, ServiceId.S3, { region: 'us-east-1' }));
    expect(f.client(S3Client, ServiceId.S3, { region: 'eu-west-1' })).not.toBe(
      f.client(S3Client, ServiceId.S3),
    );
  });

  it('acts in another account through AssumeRole of the cross-account role, once per account and Region', async () => {
    const f = factory();
    const s3 = await f.clientIn(S3Client, ServiceId.S3, other);
    const names = async () => ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    expect(await names()).toEqual(['factory-other-bucket']);
    await names();
    expect(f.counter.snapshot()['STS:AssumeRole']).toBe(1);
    expect(f.roleArnIn(other)).toBe(`arn:aws:iam::${other}:role/ReplGuardReadOnly`);
  });

  it('uses the caller’s own clients for the home account', async () => {
    const f = factory();
    const s3 = await f.clientIn(S3Client, ServiceId.S3, home);
    expect(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)).toEqual([
      'factory-home-bucket',
    ]);
    expect(f.counter.snapshot()['STS:AssumeRole']).toBeUndefined();
  });
});

describe('ClientFactory clients resolve their middleware once (cacheMiddleware)', () => {
  const many = testAccount('integration/aws/clientFactory/many');
  const buckets = Array.from({ length: 12 }, (_, i) => `factory-many-${many.slice(-6)}-${i}`);

  beforeAll(async () => {
    const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), many);
    for (const [i, bucket] of buckets.entries()) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketTaggingCommand({
          Bucket: bucket,
          Tagging: { TagSet: [{ Key: 'n', Value: String(i) }] },
        }),
      );
    }
  });

  it('answers concurrent calls of one operation on different buckets each with its own bucket', async () => {
    const f = new ClientFactory({
      endpointUrl: endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      decorate: (client) => void withAccount(client, many),
    });
    const s3 = f.client(S3Client, ServiceId.S3);
    expect((s3.config as { cacheMiddleware?: boolean }).cacheMiddleware).toBe(true);
    const tags = await Promise.all(
      buckets.map(
        async (Bucket) => (await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet?.[0]?.Value,
      ),
    );
    expect(tags).toEqual(buckets.map((_, i) => String(i)));
    expect(f.counter.snapshot()).toEqual({ 'S3:GetBucketTagging': buckets.length });
  });
});
