import { describe, expect, it } from 'vitest';
import { known, unknown } from '../../../shared/model/datum.js';
import { replicationDestinationReachable } from '../../../shared/rules/replication_destination_reachable.js';
import { denied, DST_ARN, DST_BUCKET, firstRule, RULE_ID, variant } from '../../fixtures/snapshots.js';
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

  it('tells how to recreate a deleted destination with versioning, in the owner account', () => {
    const [result] = replicationDestinationReachable.evaluate(variant(missing));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain('aws s3api create-bucket --bucket phi-dr');
    expect(result?.remediation).toContain('--object-lock-enabled-for-bucket');
    expect(result?.remediation).toContain('put-bucket-versioning --bucket phi-dr');
    expect(result?.remediation).toContain('account 222222222222');
  });

  it("fixes an Account mismatch with the rule's Account set to the owner", () => {
    const [result] = replicationDestinationReachable.evaluate(
      variant((s) => void (firstRule(s).destination.account = '333333333333')),
    );
    expect(result?.remediation).toContain('"Account":"222222222222"');
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
