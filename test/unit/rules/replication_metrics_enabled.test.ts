import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationMetricsEnabled } from '../../../shared/rules/replication_metrics_enabled.js';
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
  rulesOf,
} from './secondDestination.js';

describe('replication_metrics_enabled', () => {
  it.each<Case>([
    ['metrics Enabled', () => {}, 'COMPLIANT'],
    [
      'no Metrics block',
      (s) => void delete firstRule(s).destination.metrics,
      'NON_COMPLIANT',
      /no replication metrics.*OperationFailedReplication/,
    ],
    [
      'Metrics Disabled',
      (s) => void (firstRule(s).destination.metrics = { status: 'Disabled' }),
      'NON_COMPLIANT',
    ],
    ['only a disabled rule', (s) => void (firstRule(s).status = 'Disabled'), 'NOT_APPLICABLE'],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
    [
      'an unreadable configuration',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      'UNKNOWN',
      /s3:GetReplicationConfiguration/,
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = replicationMetricsEnabled.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('enables metrics on the rule that lacks them, keeping the others as they are', () => {
    const results = replicationMetricsEnabled.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const archive = rulesOf(s)[1];
        if (archive) delete archive.destination.metrics;
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
    ]);
    expect(results[0]?.changes).toBeUndefined();
    expect(results[1]?.remediation).toBe(
      'Enable Metrics (Status Enabled, EventThreshold 15 minutes) on rule archive-to-eu.',
    );
    // Only archive-to-eu is patched; the planner keeps phi-to-dr (and its RTC) as it is.
    expect(results[1]?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: ARCHIVE_RULE, metrics: { status: 'Enabled', eventThresholdMinutes: 15 } }],
      },
    ]);
  });
});
