import { describe, expect, it } from 'vitest';
import { cfnString, readStatements, templateOf } from '../../../shared/iam/index.js';

describe('readStatements', () => {
  it('groups actions by service and resource set, in a stable order', async () => {
    const statements = await readStatements([
      's3:GetBucketVersioning',
      'kms:DescribeKey',
      's3:ListAllMyBuckets',
      's3:GetReplicationConfiguration',
      'kms:GetKeyPolicy',
    ]);
    expect(statements).toEqual([
      {
        Sid: 'ReadKmsKey',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:*:key/*' }],
      },
      { Sid: 'ReadS3Any', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: ['*'] },
      {
        Sid: 'ReadS3Bucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketVersioning', 's3:GetReplicationConfiguration'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' }],
      },
    ]);
  });

  it('gives every statement a distinct Sid', async () => {
    const statements = await readStatements([
      'iam:GetRole',
      'iam:GetPolicy',
      'iam:ListRoles',
      'sts:GetCallerIdentity',
    ]);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    for (const s of statements) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('does not depend on the order or repetition of its input', async () => {
    const a = await readStatements([
      's3:GetBucketTagging',
      'cloudwatch:DescribeAlarms',
      's3:GetBucketTagging',
    ]);
    const b = await readStatements(['cloudwatch:DescribeAlarms', 's3:GetBucketTagging']);
    expect(a).toEqual(b);
  });
});

describe('cfnString', () => {
  it('wraps templates with pseudo parameters in Fn::Sub and keeps literals', () => {
    expect(cfnString('*')).toBe('*');
    expect(cfnString('arn:${AWS::Partition}:s3:::*')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' });
    expect(templateOf(cfnString('arn:${AWS::Partition}:s3:::*'))).toBe('arn:${AWS::Partition}:s3:::*');
  });
});
