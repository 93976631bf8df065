/**
 * What a person reads when an AWS call stops a command: the service and operation, what went wrong, and what to
 * do. The emulator accepts any credentials, so credential errors are the SDK's own shapes, built here.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { S3Client, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import type { MiddlewareStack } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { addCallSite, callSiteOf } from '../../../shared/aws/callSite.js';
import { describeError, iamActionOf } from '../../../shared/aws/describe.js';
import { AwsClientError, isAccessDenied, isCredentialError } from '../../../shared/aws/errors.js';
import { errorToDatum } from '../../../shared/collect/safeRead.js';

/** An error as the SDK throws it: `name` is the AWS code, `$metadata` the HTTP answer. */
const sdkError = (name: string, message: string, status = 403) =>
  Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: 1 },
  });

/** What the test needs of a client: its middleware stack, and `send`. */
interface Loose {
  readonly middlewareStack: MiddlewareStack<object, object>;
  readonly send: (command: unknown) => Promise<unknown>;
}

/** Sends `command` through a real client whose HTTP handler throws `error`, so the call site is recorded. */
const failing = async (client: STSClient | S3Client, command: unknown, error: Error): Promise<unknown> => {
  const loose = client as unknown as Loose;
  addCallSite(loose.middlewareStack, {
    service: client instanceof S3Client ? 'S3' : 'STS',
    region: 'eu-west-1',
  });
  loose.middlewareStack.add(
    () => async () => {
      throw error;
    },
    { step: 'finalizeRequest', name: 'failHere', priority: 'low' },
  );
  try {
    await loose.send(command);
  } catch (caught) {
    return caught;
  }
  throw new Error('expected the call to fail');
};

const sts = () =>
  new STSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' },
    maxAttempts: 1,
    endpoint: 'https://sts.eu-west-1.amazonaws.com',
  });

describe('expired or invalid credentials', () => {
  it.each([
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'SignatureDoesNotMatch',
    'InvalidAccessKeyId',
    'CredentialsProviderError',
  ])('%s is a credentials error, never AccessDenied', (code) => {
    const error = sdkError(code, 'The security token included in the request is expired');
    expect(isCredentialError(error)).toBe(true);
    expect(isAccessDenied(error)).toBe(false);
  });

  it('are called that, with the command that refreshes them for the profile in use', async () => {
    const error = await failing(
      sts(),
      new GetCallerIdentityCommand({}),
      sdkError('ExpiredToken', 'The security token included in the request is expired'),
    );
    const line = describeError(error, { profile: 'phi-admin' });
    expect(line).toBe(
      'STS GetCallerIdentity (eu-west-1): the AWS credentials are expired or invalid (ExpiredToken: The security token included in the request is expired): refresh them with `aws sso login --profile phi-admin` (an SSO profile), or renew the keys of profile phi-admin (`aws configure --profile phi-admin`), then run again.',
    );
    expect(line).not.toMatch(/grant|ReplGuard's role/i);
  });

  it('without a profile, name both ways to refresh them', () => {
    expect(describeError(sdkError('InvalidClientTokenId', 'The security token is invalid'))).toMatch(
      /expired or invalid \(InvalidClientTokenId: .*\): refresh them with `aws sso login --profile NAME` .* or set new AWS_ACCESS_KEY_ID/,
    );
  });

  it('say when there are no credentials at all', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(describeError(error)).toMatch(/^no AWS credentials were found .*`aws configure`/);
  });

  it('become UNKNOWN data with the credentials named and no permission to grant', () => {
    const datum = errorToDatum(sdkError('ExpiredToken', 'expired', 400), {
      permission: 's3:GetBucketPolicy',
    });
    expect(datum).toMatchObject({
      known: false,
      reason: expect.stringMatching(/credentials are expired or invalid \(ExpiredToken\)/),
    });
    expect(datum).not.toHaveProperty('permission');
    expect(datum.known === false && datum.fix).toMatch(/aws sso login/);
  });

  it('behind a failed AssumeRole are told as credentials, not as a role to deploy', () => {
    const error = new AwsClientError(
      'Could not assume arn:aws:iam::222222222222:role/ReplGuardReadOnly',
      'ASSUME_ROLE_FAILED',
      {
        cause: sdkError('ExpiredToken', 'expired'),
      },
    );
    expect(describeError(error)).toMatch(/ReadOnly: the AWS credentials are expired or invalid/);
    expect(errorToDatum(error, { permission: 's3:GetBucketVersioning' })).not.toHaveProperty('permission');
  });
});

describe('connection errors', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 4566,
      $metadata: { attempts: 5 },
    });

  it('name the service, the operation and the endpoint', async () => {
    const s3 = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' },
      maxAttempts: 1,
      endpoint: 'http://127.0.0.1:4566',
      forcePathStyle: true,
    });
    const error = await failing(s3, new GetBucketVersioningCommand({ Bucket: 'phi-prod' }), refused());
    expect(callSiteOf(error)).toEqual({
      service: 'S3',
      operation: 'GetBucketVersioning',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(describeError(error)).toBe(
      'S3 GetBucketVersioning (eu-west-1): could not reach S3 at http://127.0.0.1:4566 (ECONNREFUSED: nothing accepts connections there): check --endpoint-url and AWS_ENDPOINT_URL*, a proxy (HTTPS_PROXY) or firewall, and that the endpoint is up.',
    );
  });

  it.each([
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND sts.moon-1.amazonaws.com'), {
        code: 'ENOTFOUND',
        hostname: 'sts.moon-1.amazonaws.com',
      }),
      /could not reach AWS at sts\.moon-1\.amazonaws\.com \(ENOTFOUND: the host name does not resolve\): check the Region/,
    ],
    [
      Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }),
      /could not reach AWS \(TimeoutError: Connection timed out after 1000 ms\): check the network/,
    ],
  ])('say what to check: %s', (error, expected) => {
    expect(describeError(error)).toMatch(expected);
  });
});

describe('other AWS errors', () => {
  it('a denied call names the permission the credentials in use need', async () => {
    const s3 = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'A', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
    const error = await failing(s3, new ListBucketsCommand({}), sdkError('AccessDenied', 'Access Denied'));
    expect(describeError(error)).toBe(
      'S3 ListBuckets (eu-west-1): denied (AccessDenied): the credentials in use need s3:ListAllMyBuckets; grant it to them, or run with a profile that has it (--profile NAME).',
    );
  });

  it('anything else names the call, the code, the request id, and --debug', async () => {
    const error = await failing(
      sts(),
      new GetCallerIdentityCommand({}),
      sdkError('InternalFailure', 'boom', 500),
    );
    expect(describeError(error)).toBe(
      'STS GetCallerIdentity (eu-west-1): failed: InternalFailure: boom (request id req-1). Run again with --debug for details.',
    );
  });

  it('an error that is not an AWS call keeps its first line', () => {
    expect(describeError(new Error('something local\nstack'))).toBe('something local');
  });

  it.each([
    [{ service: 'S3', operation: 'GetBucketEncryption' }, 's3:GetEncryptionConfiguration'],
    [{ service: 'S3', operation: 'GetBucketPolicy' }, 's3:GetBucketPolicy'],
    [{ service: 'KMS', operation: 'GetKeyPolicy' }, 'kms:GetKeyPolicy'],
    [{ service: 'SECRETS_MANAGER', operation: 'GetSecretValue' }, 'secretsmanager:GetSecretValue'],
  ])('%o needs %s', (site, action) => {
    expect(iamActionOf(site)).toBe(action);
  });
});
