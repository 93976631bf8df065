import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationTimeControl } from '../../../shared/rules/replication_time_control.js';
import {
  denied,
  DST_BUCKET,
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
} from './secondDestination.js';

const required = (s: Parameters<Case[1]>[0]) => void (s.parameters.requireRtc = true);

describe('replication_time_control', () => {
  it.each<Case>([
    ['RTC not required', () => {}, 'NOT_APPLICABLE', /requireRtc is off/],
    [
      'RTC not required and off',
      (s) => void delete firstRule(s).destination.replicationTime,
      'NOT_APPLICABLE',
    ],
    ['RTC required and Enabled', required, 'COMPLIANT'],
    [
      'RTC required and missing',
      (s) => {
        required(s);
        delete firstRule(s).destination.replicationTime;
      },
      'NON_COMPLIANT',
      /does not use S3 Replication Time Control/,
    ],
    [
      'RTC required and Disabled',
      (s) => {
        required(s);
        firstRule(s).destination.replicationTime = { status: 'Disabled' };
      },
      'NON_COMPLIANT',
    ],
    [
      'RTC required, configuration unreadable',
      (s) => {
        required(s);
        s.source.replication = denied('s3:GetReplicationConfiguration');
      },
      'UNKNOWN',
    ],
    [
      'RTC required, no replication',
      (s) => {
        required(s);
        s.source.replication = known(null);
      },
      'NOT_APPLICABLE',
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = replicationTimeControl.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('enables RTC with the Metrics block it needs', () => {
    const [result] = replicationTimeControl.evaluate(
      variant((s) => {
        required(s);
        delete firstRule(s).destination.replicationTime;
        delete firstRule(s).destination.metrics;
      }),
    );
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toBe(
      'Enable ReplicationTime (15 minutes) and Metrics (EventThreshold 15 minutes) on rule phi-to-dr.',
    );
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [
          {
            ruleId: RULE_ID,
            replicationTime: { status: 'Enabled', minutes: 15 },
            metrics: { status: 'Enabled', eventThresholdMinutes: 15 },
          },
        ],
      },
    ]);
  });

  it('judges every rule when several replicate', () => {
    const results = replicationTimeControl.evaluate(
      variant((s) => {
        required(s);
        addSecondDestination(s);
        delete firstRule(s).destination.replicationTime;
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'NON_COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
  });
});
