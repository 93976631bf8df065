import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint, ServiceId } from '../../../shared/aws/endpoint.js';
import { awsErrorCode, isAccessDenied } from '../../../shared/aws/errors.js';
import { VERSION } from '../../../shared/version.js';

describe('resolveEndpoint', () => {
  it.each([
    [
      'the explicit option wins',
      'http://explicit',
      { AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_S3: 'http://s3' },
      'http://explicit',
    ],
    [
      'then the service-specific variable',
      undefined,
      { AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_S3: 'http://s3' },
      'http://s3',
    ],
    ['then AWS_ENDPOINT_URL', undefined, { AWS_ENDPOINT_URL: 'http://all' }, 'http://all'],
    ['else AWS itself', undefined, {}, undefined],
    [
      'an empty variable counts as unset',
      undefined,
      { AWS_ENDPOINT_URL_S3: '', AWS_ENDPOINT_URL: '' },
      undefined,
    ],
  ])('%s', (_name, explicit, env, expected) => {
    expect(resolveEndpoint(ServiceId.S3, explicit, env)).toBe(expected);
  });

  it('uses AWS’s spelling for the Config service variable', () => {
    expect(
      resolveEndpoint(ServiceId.Config, undefined, { AWS_ENDPOINT_URL_CONFIG_SERVICE: 'http://config' }),
    ).toBe('http://config');
  });
});

describe('AWS error classification', () => {
  it.each([
    [{ name: 'AccessDenied' }, true],
    [{ name: 'AccessDeniedException' }, true],
    [{ name: 'Whatever', $metadata: { httpStatusCode: 403 } }, true],
    [{ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }, false],
    [new Error('plain'), false],
  ])('%o → access denied %s', (error, denied) => {
    expect(isAccessDenied(error)).toBe(denied);
  });

  it('prefers the S3 `Code` over the exception name', () => {
    expect(awsErrorCode({ name: 'S3ServiceException', Code: 'NoSuchBucketPolicy' })).toBe(
      'NoSuchBucketPolicy',
    );
  });
});

describe('VERSION', () => {
  it('matches package.json (the user agent reports it)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
