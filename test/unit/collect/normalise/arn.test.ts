import { describe, expect, it } from 'vitest';
import {
  accountOfArn,
  parseArn,
  regionOfArn,
  roleNameOfArn,
} from '../../../../shared/collect/normalise/arn.js';

describe('arn helpers', () => {
  it('keeps colons inside the resource part', () => {
    expect(parseArn('arn:aws:cloudwatch:us-east-1:111111111111:alarm:a:b')).toEqual({
      partition: 'aws',
      service: 'cloudwatch',
      region: 'us-east-1',
      accountId: '111111111111',
      resource: 'alarm:a:b',
    });
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['arn:aws:kms:us-west-2:222222222222:alias/replica', '222222222222', 'us-west-2'],
    ['arn:aws:s3:::bucket', undefined, undefined],
    ['alias/replica', undefined, undefined],
  ])('%s → account %s, Region %s', (arn, account, region) => {
    expect(accountOfArn(arn)).toBe(account);
    expect(regionOfArn(arn)).toBe(region);
  });

  it.each<[string, string | undefined]>([
    ['arn:aws:iam::111111111111:role/replication', 'replication'],
    ['arn:aws:iam::111111111111:role/service-role/s3crr_role', 's3crr_role'],
    ['arn:aws:iam::111111111111:user/alice', undefined],
    ['', undefined],
  ])('role name of %s is %s', (arn, name) => expect(roleNameOfArn(arn)).toBe(name));
});
