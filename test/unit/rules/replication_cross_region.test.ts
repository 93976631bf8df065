import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationCrossRegion } from '../../../shared/rules/replication_cross_region.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  firstRule,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_ARN,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  type Case,
  outcomes,
  resultFor,
} from './secondDestination.js';

const dstRegion = (region: string) => (s: Parameters<Case[1]>[0]) => {
  const d = s.destinations[DST_ARN];
  if (d) d.region = known(region);
};

describe('replication_cross_region', () => {
  it.each<Case>([
    ['a destination in another Region', () => {}, 'COMPLIANT', /us-east-1\) to phi-dr in us-west-2/],
    ['a destination in the same Region', dstRegion(SRC_REGION), 'NON_COMPLIANT', /same Region us-east-1/],
    [
      'the same Region but cross-Region not required',
      (s) => {
        dstRegion(SRC_REGION)(s);
        s.parameters.requireCrossRegion = false;
      },
      'NOT_APPLICABLE',
      /requireCrossRegion is off/,
    ],
    [
      'an unreadable destination Region',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.region = denied('s3:GetBucketLocation');
      },
      'UNKNOWN',
      /s3:GetBucketLocation/,
    ],
    [
      'a missing destination (reported by replication_destination_reachable)',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = known(false);
      },
      'NOT_APPLICABLE',
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
    [
      'an unreadable configuration',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      'UNKNOWN',
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = replicationCrossRegion.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('proposes a bucket in another Region and the rule replicating to it', () => {
    const [result] = replicationCrossRegion.evaluate(variant(dstRegion(SRC_REGION)));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain(
      'Add a rule with the same filter replicating to a new bucket phi-dr-us-west-2 in us-west-2 (account 222222222222; ReplGuard pairs us-east-1 with us-west-2',
    );
    expect(result?.remediation).toContain('S3 Batch Replication');
    const regionChoice = 'ReplGuard pairs us-east-1 with us-west-2; pick another Region if yours differs';
    expect(result?.changes).toEqual([
      {
        kind: 'create-bucket',
        bucket: 'phi-dr-us-west-2',
        accountId: DST_ACCOUNT,
        region: 'us-west-2',
        objectLock: true,
        regionChoice,
      },
      {
        kind: 'create-key',
        alias: 'alias/replguard/phi-dr-us-west-2',
        accountId: DST_ACCOUNT,
        region: 'us-west-2',
        description: 'ReplGuard: SSE-KMS key of S3 bucket phi-dr-us-west-2',
      },
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        additions: [
          {
            ruleId: 'phi-to-dr-cross-region',
            like: RULE_ID,
            destinationBucket: 'phi-dr-us-west-2',
            destinationAccount: DST_ACCOUNT,
            replicaKmsKeyId: 'arn:aws:kms:us-west-2:222222222222:alias/replguard/phi-dr-us-west-2',
          },
        ],
      },
    ]);
  });

  it('creates no key and no Object Lock for a rule and source that use neither', () => {
    const [result] = replicationCrossRegion.evaluate(
      variant((s) => {
        dstRegion(SRC_REGION)(s);
        delete firstRule(s).destination.replicaKmsKeyId;
        s.source.objectLock = known(null);
      }),
    );
    expect(result?.changes).toEqual([
      expect.objectContaining({ kind: 'create-bucket', bucket: 'phi-dr-us-west-2', objectLock: false }),
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        additions: [
          {
            ruleId: 'phi-to-dr-cross-region',
            like: RULE_ID,
            destinationBucket: 'phi-dr-us-west-2',
            destinationAccount: DST_ACCOUNT,
          },
        ],
      },
    ]);
  });

  describe('with several rules and destinations', () => {
    const sameRegionArchive = (s: Parameters<Case[1]>[0]) => {
      addSecondDestination(s);
      const d = s.destinations[ARCHIVE_ARN];
      if (d) d.region = known(SRC_REGION);
    };

    it('passes a same-Region rule whose objects another rule copies to another Region', () => {
      const results = replicationCrossRegion.evaluate(variant(sameRegionArchive));
      expect(outcomes(results)).toEqual([
        [DST_BUCKET, RULE_ID, 'COMPLIANT'],
        [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
      ]);
      expect(resultFor(results, ARCHIVE_BUCKET).message).toMatch(/rule phi-to-dr also copies/);
    });

    it('fails a same-Region rule whose objects no cross-Region rule covers', () => {
      const results = replicationCrossRegion.evaluate(
        variant((s) => {
          sameRegionArchive(s);
          firstRule(s).filter = { prefix: 'scans/' };
        }),
      );
      expect(outcomes(results)).toEqual([
        [DST_BUCKET, RULE_ID, 'COMPLIANT'],
        [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
      ]);
      expect(resultFor(results, ARCHIVE_BUCKET).message).toContain('prefix `archive/`');
    });

    it('does not count a disabled cross-Region rule as cover', () => {
      const results = replicationCrossRegion.evaluate(
        variant((s) => {
          sameRegionArchive(s);
          firstRule(s).status = 'Disabled';
        }),
      );
      expect(outcomes(results)).toEqual([[ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT']]);
    });

    it('does not count a rule that requires a tag the same-Region rule does not', () => {
      const results = replicationCrossRegion.evaluate(
        variant((s) => {
          sameRegionArchive(s);
          firstRule(s).filter = { prefix: '', tags: [{ key: 'dr', value: 'yes' }] };
        }),
      );
      expect(resultFor(results, ARCHIVE_BUCKET).status).toBe('NON_COMPLIANT');
    });
  });
});
