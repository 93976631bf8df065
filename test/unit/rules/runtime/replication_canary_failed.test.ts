import { describe, expect, it } from 'vitest';
import { evaluateSnapshot } from '../../../../shared/engine/evaluate.js';
import { findingIdOf } from '../../../../shared/findings/identity.js';
import type { CanaryVerdict } from '../../../../shared/model/canary.js';
import { known } from '../../../../shared/model/datum.js';
import type { Diagnosis } from '../../../../shared/model/diagnosis.js';
import { replicationCanaryFailed } from '../../../../shared/rules/runtime/index.js';
import {
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  healthySnapshot,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_BUCKET,
  variant,
} from '../../../fixtures/snapshots.js';

const T0 = Date.parse('2025-03-04T22:00:00Z');

const verdict = (over: Partial<CanaryVerdict> = {}): CanaryVerdict => ({
  pair: {
    bucket: SRC_BUCKET,
    accountId: SRC_ACCOUNT,
    region: 'us-east-1',
    replicationRuleId: RULE_ID,
    destinationBucket: DST_BUCKET,
    destinationAccountId: DST_ACCOUNT,
    thresholdMinutes: 15,
    rtc: true,
  },
  outcome: 'late',
  canaryKey: 'replguard-canary/20250304T220000000Z-cafe0001.txt',
  writtenAt: T0,
  judgedAt: T0 + 15 * 60_000,
  measuredInRun: false,
  sourceStatus: 'PENDING',
  replica: 'absent',
  ...over,
});

const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});
const diagnosed = (snapshot = healthySnapshot()): Diagnosis => ({
  ok: true,
  accountId: SRC_ACCOUNT,
  region: 'us-east-1',
  results: evaluateSnapshot(snapshot),
});

describe('replication_canary_failed', () => {
  it('declares its metadata: HIGH, the contingency plan citations, a fix', () => {
    expect(replicationCanaryFailed).toMatchObject({
      id: 'replication_canary_failed',
      severity: 'HIGH',
      hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
    });
    expect(replicationCanaryFailed.remediation.text).toContain('next canary run');
  });

  it('raises a late canary on its pair, with the probable cause from the diagnosis and its fix', () => {
    const result = replicationCanaryFailed.evaluate(verdict(), {
      accountId: SRC_ACCOUNT,
      diagnosis: diagnosed(suspended),
    });
    expect(result).toMatchObject({
      ruleId: 'replication_canary_failed',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      bucket: SRC_BUCKET,
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
      destinationAccountId: DST_ACCOUNT,
      details: {
        canaryKey: 'replguard-canary/20250304T220000000Z-cafe0001.txt',
        writtenAt: '2025-03-04T22:00:00.000Z',
        thresholdMinutes: 15,
        sourceStatus: 'PENDING',
        replica: 'absent',
        count: 1,
        firstSeen: '2025-03-04T22:15:00.000Z',
        probableCause: ['versioning_destination_enabled'],
        diagnosis: 'complete',
      },
    });
    expect(result.message).toContain(
      `The replication canary of ${SRC_BUCKET} to ${DST_BUCKET} (rule ${RULE_ID}) did not arrive within 15 minutes (its S3 Replication Time Control threshold)`,
    );
    expect(result.message).toContain('Probable cause: [versioning_destination_enabled]');
    expect(result.remediation).toContain(`Enable versioning on ${DST_BUCKET}`);
  });

  it('says so when S3 marked the canary FAILED, and when the replica could not be looked at', () => {
    const failed = replicationCanaryFailed.evaluate(verdict({ outcome: 'failed', sourceStatus: 'FAILED' }), {
      accountId: SRC_ACCOUNT,
      diagnosis: diagnosed(suspended),
    });
    expect(failed.message).toContain(
      'S3 marked the replication of the canary object under replguard-canary/ FAILED',
    );
    const unseen = replicationCanaryFailed.evaluate(
      verdict({ replica: 'unreadable', replicaNote: 'AccessDenied on s3:GetObject' }),
      { accountId: SRC_ACCOUNT },
    );
    expect(unseen.message).toContain('the replica could not be looked at');
    expect(unseen.message).toContain('Diagnosis unavailable: not diagnosed.');
    expect(unseen.details).toMatchObject({
      replicaNote: 'AccessDenied on s3:GetObject',
      diagnosis: 'unavailable',
    });
  });

  it('keeps times and counts out of the message, so a failing pair alerts once', () => {
    const first = replicationCanaryFailed.evaluate(verdict(), { accountId: SRC_ACCOUNT });
    const later = replicationCanaryFailed.evaluate(
      verdict({ writtenAt: T0 + 15 * 60_000, judgedAt: T0 + 30 * 60_000 }),
      {
        accountId: SRC_ACCOUNT,
        previous: {
          id: findingIdOf(first),
          state: 'ACTIVE',
          suppressed: false,
          details: { count: '1', firstSeen: '2025-03-04T22:15:00.000Z' },
        },
      },
    );
    expect(later.message).toBe(first.message);
    expect(later.details).toMatchObject({
      count: 2,
      firstSeen: '2025-03-04T22:15:00.000Z',
      lastSeen: '2025-03-04T22:30:00.000Z',
    });
  });

  it('is COMPLIANT when the canary replicated in time: the same finding, so it resolves', () => {
    const failing = replicationCanaryFailed.evaluate(verdict(), { accountId: SRC_ACCOUNT });
    const ok = replicationCanaryFailed.evaluate(
      verdict({
        outcome: 'replicated',
        replica: 'present',
        sourceStatus: 'COMPLETED',
        latencySeconds: 4.2,
        measuredInRun: true,
      }),
      { accountId: SRC_ACCOUNT },
    );
    expect(ok).toMatchObject({ status: 'COMPLIANT', details: { latencySeconds: 4.2, measuredInRun: true } });
    expect(ok.message).toBe(
      `The replication canary of ${SRC_BUCKET} to ${DST_BUCKET} (rule ${RULE_ID}) replicated within 15 minutes.`,
    );
    expect(findingIdOf(ok)).toBe(findingIdOf(failing));
    expect(replicationCanaryFailed.findingKey(verdict(), SRC_ACCOUNT)).toMatchObject({
      variant: null,
      ruleId: 'replication_canary_failed',
    });
  });
});
