import { describe, expect, it } from 'vitest';
import { keyRefsOf, trailScopesOf } from '../../../shared/collect/related.js';
import { known, unknown } from '../../../shared/model/datum.js';
import {
  DST_ACCOUNT,
  DST_ARN,
  DST_KEY_ARN,
  DST_REGION,
  firstRule,
  SRC_ACCOUNT,
  SRC_KEY_ARN,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';

describe('keyRefsOf', () => {
  it('lists the source key and the replica key, each where it is used, without duplicates', () => {
    const s = variant(() => undefined);
    expect(keyRefsOf(s.source, s.destinations)).toEqual([
      { ref: SRC_KEY_ARN, region: SRC_REGION, accountId: SRC_ACCOUNT },
      { ref: DST_KEY_ARN, region: DST_REGION, accountId: DST_ACCOUNT },
    ]);
  });

  it("resolves a replica alias name in the destination's Region and the rule's account", () => {
    const s = variant((m) => {
      firstRule(m).destination.replicaKmsKeyId = 'alias/phi-replica';
      m.destinations[DST_ARN]!.encryption = known({ algorithm: 'AES256', bucketKeyEnabled: false });
    });
    expect(keyRefsOf(s.source, s.destinations)).toContainEqual({
      ref: 'alias/phi-replica',
      region: DST_REGION,
      accountId: DST_ACCOUNT,
    });
  });

  it('uses the Region and account an ARN names, whatever the rule says', () => {
    const other = 'arn:aws:kms:eu-west-1:333333333333:key/abcd';
    const s = variant((m) => void (firstRule(m).destination.replicaKmsKeyId = other));
    expect(keyRefsOf(s.source, s.destinations)).toContainEqual({
      ref: other,
      region: 'eu-west-1',
      accountId: '333333333333',
    });
  });

  it('reads the AWS managed key for aws:kms without a key id', () => {
    const s = variant(
      (m) => void (m.source.encryption = known({ algorithm: 'aws:kms', bucketKeyEnabled: true })),
    );
    expect(keyRefsOf(s.source, s.destinations)).toContainEqual({
      ref: 'alias/aws/s3',
      region: SRC_REGION,
      accountId: SRC_ACCOUNT,
    });
  });

  it("skips a bare replica key id when the destination's Region is unknown", () => {
    const s = variant((m) => {
      firstRule(m).destination.replicaKmsKeyId = '2222bbbb-0000-4000-8000-000000000002';
      m.destinations[DST_ARN]!.region = unknown(
        'AccessDenied on s3:GetBucketLocation',
        's3:GetBucketLocation',
      );
    });
    expect(keyRefsOf(s.source, s.destinations).map((r) => r.ref)).toEqual([SRC_KEY_ARN]);
  });
});

describe('trailScopesOf', () => {
  it("is the source's account and Region plus each existing destination's", () => {
    const s = variant(() => undefined);
    expect(trailScopesOf(s.source, s.destinations)).toEqual([
      { accountId: SRC_ACCOUNT, region: SRC_REGION },
      { accountId: DST_ACCOUNT, region: DST_REGION },
    ]);
  });

  it('skips a destination that does not exist', () => {
    const s = variant((m) => void (m.destinations[DST_ARN]!.exists = known(false)));
    expect(trailScopesOf(s.source, s.destinations)).toEqual([{ accountId: SRC_ACCOUNT, region: SRC_REGION }]);
  });
});
