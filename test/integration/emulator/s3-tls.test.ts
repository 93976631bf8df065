/**
 * Patch `s3-tls`: S3 is reached over TLS, so a bucket policy's TLS-only Deny (`Bool aws:SecureTransport false`)
 * does not stop object reads and writes; moto cannot evaluate the condition and answers every object operation
 * of such a bucket with an empty 403. Deny statements without that condition still deny.
 * (`REPLGUARD_MOTO_UNPATCHED=s3-tls` makes the first test fail.)
 */
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/s3-tls');
const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);
const bucket = (name: string) => `${name}-${account}`;

const policy = (name: string, statement: Record<string, unknown>) =>
  s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket(name),
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Principal: '*', Resource: `arn:aws:s3:::${bucket(name)}/*`, ...statement },
        ],
      }),
    }),
  );

describe('S3 object operations under a bucket policy (emulator)', () => {
  beforeAll(async () => {
    for (const name of ['tls-only', 'deny-writes'])
      await s3.send(new CreateBucketCommand({ Bucket: bucket(name) }));
    await policy('tls-only', {
      Sid: 'DenyInsecureTransport',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    await policy('deny-writes', { Sid: 'NoWrites', Action: 's3:PutObject' });
  });

  it('lets requests (made over TLS) read and write objects of a TLS-only bucket', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket('tls-only'), Key: 'a.txt', Body: 'a' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket('tls-only'), Key: 'a.txt' }));
    expect(head.ContentLength).toBe(1);
  });

  it('still refuses what an unconditional Deny names', async () => {
    await expect(
      s3.send(new PutObjectCommand({ Bucket: bucket('deny-writes'), Key: 'a.txt', Body: 'a' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});
