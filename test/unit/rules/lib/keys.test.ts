import { describe, expect, it } from 'vitest';
import { known } from '../../../../shared/model/datum.js';
import type { KeyInfo } from '../../../../shared/model/snapshot.js';
import { resolveKey } from '../../../../shared/rules/lib/keys.js';
import {
  DST_ACCOUNT,
  DST_KEY_ARN,
  DST_REGION,
  healthySnapshot,
  SRC_ACCOUNT,
  variant,
} from '../../../fixtures/snapshots.js';
import { mutable } from '../secondDestination.js';

const MRK = 'mrk-0123456789abcdef0123456789abcdef';
const mrk = (region: string): KeyInfo => ({
  ref: `arn:aws:kms:${region}:${DST_ACCOUNT}:key/${MRK}`,
  keyArn: `arn:aws:kms:${region}:${DST_ACCOUNT}:key/${MRK}`,
  keyId: MRK,
  accountId: DST_ACCOUNT,
  region,
  state: 'Enabled',
  manager: 'CUSTOMER',
  policy: known({ Statement: [] }),
});

describe('resolveKey', () => {
  const snapshot = healthySnapshot();

  it.each([
    ['a key ARN', DST_KEY_ARN],
    ['a bare key id in the destination Region and account', '2222bbbb-0000-4000-8000-000000000002'],
  ])('finds %s', (_what, ref) => {
    const found = resolveKey(snapshot, ref, DST_REGION, [DST_ACCOUNT, SRC_ACCOUNT]);
    expect(found.known && found.value?.keyArn).toBe(DST_KEY_ARN);
  });

  it('resolves an alias name in the Region and account it is used in', () => {
    const alias = `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:alias/phi-dr`;
    const withAlias = variant((s) => void (s.keys[alias] = s.keys[DST_KEY_ARN] ?? known(null)));
    const found = resolveKey(withAlias, 'alias/phi-dr', DST_REGION, [DST_ACCOUNT]);
    expect(found.known && found.value?.keyArn).toBe(DST_KEY_ARN);
    expect(resolveKey(withAlias, 'alias/phi-dr', 'eu-west-1', [DST_ACCOUNT]).known).toBe(false);
  });

  it('picks the replica of a multi-Region key in the requested Region, not a same-id key elsewhere', () => {
    const withMrk = variant((s) => {
      s.keys['mrk-east'] = known(mutable(mrk('us-east-1')));
      s.keys['mrk-west'] = known(mutable(mrk(DST_REGION)));
    });
    const found = resolveKey(withMrk, MRK, DST_REGION, []);
    expect(found.known && found.value?.region).toBe(DST_REGION);
    expect(resolveKey(withMrk, MRK, 'eu-west-1', []).known).toBe(false);
  });

  it('is an UNKNOWN datum naming kms:DescribeKey when the key was not read', () => {
    const found = resolveKey(snapshot, 'arn:aws:kms:us-west-2:222222222222:key/nope', DST_REGION, []);
    expect(found).toMatchObject({ known: false, permission: 'kms:DescribeKey' });
  });

  it('cannot resolve a bare id without a Region', () => {
    expect(resolveKey(snapshot, 'alias/phi-dr', undefined, [DST_ACCOUNT])).toMatchObject({
      known: false,
      reason: expect.stringContaining('without the Region'),
    });
  });
});
