import { describe, expect, it } from 'vitest';
import { known, unknown } from '../../../shared/model/datum.js';
import { replicationDestinationReachable } from '../../../shared/rules/replication_destination_reachable.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_REGION,
  firstRule,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  type Case,
  outcomes,
  resultFor,
} from './secondDestination.js';

const missing = (s: Parameters<Case[1]>[0]) => {
  const d = s.destinations[DST_ARN];
  if (!d) throw new Error('fixture');
  d.exists = known(false);
  d.region = unknown(`destination bucket ${DST_BUCKET} does not exist`);
};

describe('replication_destination_reachable', () => {
  it.each<Case>([
    [
      'an existing destination where the rule says',
      () => {},
      'COMPLIANT',
      /exists in account 222222222222, Region us-west-2/,
    ],
    ['a deleted destination', missing, 'NON_COMPLIANT', /does not exist.*DstBucketNotFound/],
    [
      "a rule Account other than the bucket's owner",
      (s) => void (firstRule(s).destination.account = '333333333333'),
      'NON_COMPLIANT',
      /names account 333333333333.*found in account 222222222222/,
    ],
    [
      'a destination account that cannot be entered',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = denied('sts:AssumeRole');
      },
      'UNKNOWN',
      /sts:AssumeRole/,
    ],
    [
      'an existing destination whose Region cannot be read',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.region = denied('s3:GetBucketLocation');
      },
      'UNKNOWN',
      /Region of phi-dr/,
    ],
    [
      'a destination that was not collected',
      (s) => void delete s.destinations[DST_ARN],
      'UNKNOWN',
      /was not read/,
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
    [
      'an unreadable configuration',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      'UNKNOWN',
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = replicationDestinationReachable.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it("recreates a deleted destination in the owner account, in the replica key's Region, with Object Lock", () => {
    const [result] = replicationDestinationReachable.evaluate(variant(missing));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain(
      "Recreate phi-dr in account 222222222222, us-west-2 (the Region of the rule's replica key), with every setting a destination needs, or point rule phi-to-dr at an existing bucket",
    );
    expect(result?.remediation).toContain('S3 Batch Replication');
    // Versioning and the other destination settings follow from the other rules once the bucket is planned.
    expect(result?.changes).toEqual([
      {
        kind: 'create-bucket',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        objectLock: true,
        regionChoice: "the Region of the rule's replica key",
      },
    ]);
  });

  it("recreates a deleted destination in the source's DR Region when the rule names no replica key", () => {
    const [result] = replicationDestinationReachable.evaluate(
      variant((s) => {
        missing(s);
        delete firstRule(s).destination.replicaKmsKeyId;
        s.source.objectLock = known(null);
      }),
    );
    expect(result?.changes).toEqual([
      {
        kind: 'create-bucket',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: 'us-west-2',
        objectLock: false,
        regionChoice: 'ReplGuard pairs us-east-1 with us-west-2; pick another Region if yours differs',
      },
    ]);
  });

  it("fixes an Account mismatch with the rule's Account set to the owner", () => {
    const [result] = replicationDestinationReachable.evaluate(
      variant((s) => void (firstRule(s).destination.account = '333333333333')),
    );
    expect(result?.remediation).toContain(
      "set the rule's Destination.Account to its owner 222222222222; otherwise point rule phi-to-dr at the intended bucket of account 333333333333",
    );
    expect(result?.details).toEqual({ ruleAccount: '333333333333', foundAccount: DST_ACCOUNT });
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, destinationAccount: DST_ACCOUNT }],
      },
    ]);
  });

  it('judges each destination of several rules on its own', () => {
    const results = replicationDestinationReachable.evaluate(
      variant((s) => {
        addSecondDestination(s);
        missing(s);
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'NON_COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
    expect(resultFor(results, ARCHIVE_BUCKET).message).toContain('eu-west-1');
  });
});
