import { describe, expect, it } from 'vitest';
import {
  encryptionContextArn,
  kmsGrantCondition,
  s3AssumeRoleContext,
  s3ReplicationContext,
  sampleObjectKey,
} from '../../../shared/policy/context.js';

const role = { arn: 'arn:aws:iam::111111111111:role/repl', accountId: '111111111111' };

describe('sampleObjectKey', () => {
  it.each([
    [undefined, 'replguard-sample-object'],
    ['', 'replguard-sample-object'],
    ['records/', 'records/replguard-sample-object'],
    ['2024-', '2024-replguard-sample-object'],
  ])('prefix %j → %s', (prefix, key) => {
    expect(sampleObjectKey(prefix)).toBe(key);
  });
});

describe('s3ReplicationContext', () => {
  const input = {
    role,
    bucket: 'phi-prod',
    region: 'eu-west-1',
    objectKey: 'records/replguard-sample-object',
  };

  it('gives S3 requests the role session context over TLS', () => {
    expect(s3ReplicationContext('s3', input)).toEqual({
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': role.accountId,
      'aws:PrincipalType': 'AssumedRole',
      'aws:RequestedRegion': input.region,
    });
  });

  it('names no Region when the bucket Region is unknown (a Region-pinning SCP must not guess it)', () => {
    expect(s3ReplicationContext('s3', { ...input, region: '' })).not.toHaveProperty('aws:RequestedRegion');
  });

  it.each([
    [false, 'arn:aws:s3:::phi-prod/records/replguard-sample-object'],
    [true, 'arn:aws:s3:::phi-prod'],
  ])(
    'KMS calls via S3 in the bucket Region; Bucket Keys %s → encryption context %s',
    (bucketKeyEnabled, arn) => {
      const context = s3ReplicationContext('kms', { ...input, bucketKeyEnabled });
      expect(context).toMatchObject({
        'kms:ViaService': 's3.eu-west-1.amazonaws.com',
        'kms:EncryptionContext:aws:s3:arn': arn,
        'kms:CallerAccount': role.accountId,
        'aws:PrincipalArn': role.arn,
      });
      expect(encryptionContextArn({ ...input, bucketKeyEnabled })).toBe(arn);
    },
  );
});

describe('s3AssumeRoleContext', () => {
  it('names the source bucket and account, as S3 does when assuming the role', () => {
    expect(s3AssumeRoleContext('phi-prod', '111111111111')).toMatchObject({
      'aws:SourceArn': 'arn:aws:s3:::phi-prod',
      'aws:SourceAccount': '111111111111',
    });
  });
});

describe('kmsGrantCondition', () => {
  it.each([
    [false, 'arn:aws:s3:::phi-dr/records/*'],
    [true, ['arn:aws:s3:::phi-dr', 'arn:aws:s3:::phi-dr/records/*']],
  ])('Bucket Keys %s → encryption context %j', (bucketKeyEnabled, arns) => {
    expect(
      kmsGrantCondition({ bucket: 'phi-dr', region: 'us-west-2', prefix: 'records/', bucketKeyEnabled }),
    ).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': arns },
    });
  });
});
