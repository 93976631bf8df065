import { describe, expect, it } from 'vitest';
import { IamDerivationError, resourcesFor } from '../../../shared/iam/index.js';

describe('resourcesFor', () => {
  it.each([
    ['s3:GetBucketVersioning', ['arn:${AWS::Partition}:s3:::*']],
    // Buckets only: ReplGuard never reads through access points.
    ['s3:GetBucketPolicy', ['arn:${AWS::Partition}:s3:::*']],
    ['cloudwatch:DescribeAlarms', ['arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:*']],
    // A source bucket's key may belong to another account; its key policy still decides.
    ['kms:DescribeKey', ['arn:${AWS::Partition}:kms:*:*:key/*']],
    // Organization trails belong to the management account.
    ['cloudtrail:GetTrailStatus', ['arn:${AWS::Partition}:cloudtrail:*:*:trail/*']],
    ['iam:GetRole', ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*']],
    // Customer managed policies and AWS managed ones.
    [
      'iam:GetPolicyVersion',
      ['arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/*', 'arn:${AWS::Partition}:iam::aws:policy/*'],
    ],
    ['s3:ListAllMyBuckets', ['*']],
    ['cloudtrail:DescribeTrails', ['*']],
  ])('grants %s on %j', async (action, expected) => {
    expect((await resourcesFor(action)).resources).toEqual(expected);
  });

  it('names the resource types it used', async () => {
    expect(await resourcesFor('kms:GetKeyPolicy')).toMatchObject({ resourceTypes: ['kms:key'] });
    expect(await resourcesFor('s3:ListAllMyBuckets')).toMatchObject({ resourceTypes: [] });
  });

  it('rejects an action AWS does not define (a typo in a declaration)', async () => {
    await expect(resourcesFor('s3:GetBucketVersionning')).rejects.toThrow(IamDerivationError);
    await expect(resourcesFor('s3:GetBucketVersionning')).rejects.toMatchObject({ code: 'UNKNOWN_ACTION' });
  });
});
