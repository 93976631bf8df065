import {
  type CanaryPair,
  type CanaryVerdict,
  CANARY_PREFIX,
  CanaryOutcome,
  ReplicaSight,
} from '../../model/canary.js';
import type { PairRef } from '../../model/diagnosis.js';
import { Hipaa, type RuleResult } from '../../model/result.js';
import {
  destinationAccountOn,
  explain,
  pathOf,
  remediationOf,
  resourcesOf,
  rootCauseOnPair,
} from '../lib/diagnosis.js';
import { countsOf } from './aggregates.js';
import { REPLICATION_BREAKING_RULE_IDS } from './failureReasons.js';
import { defineRuntimeRule, type RuntimeRule } from './types.js';

const pairRefOf = (pair: CanaryPair): PairRef => ({
  bucket: pair.bucket,
  destinationBucket: pair.destinationBucket,
  replicationRuleId: pair.replicationRuleId,
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** The symptom in words: stable for a pair and outcome (numbers and times live in `details`). */
const symptomOf = (v: CanaryVerdict): string => {
  const path = pathOf(pairRefOf(v.pair));
  const within = `within ${v.pair.thresholdMinutes} minutes${v.pair.rtc ? ' (its S3 Replication Time Control threshold)' : ''}`;
  if (v.outcome === CanaryOutcome.Failed)
    return `The replication canary of ${path} failed: S3 marked the replication of the canary object under ${CANARY_PREFIX} FAILED, and no replica reached ${v.pair.destinationBucket}.`;
  if (v.replica === ReplicaSight.Unreadable)
    return `The replication canary of ${path} was not confirmed ${within}: S3 has not reported the canary object under ${CANARY_PREFIX} replicated, and the replica could not be looked at in ${v.pair.destinationBucket}.`;
  return `The replication canary of ${path} did not arrive ${within}: the canary object written under ${CANARY_PREFIX} is not in ${v.pair.destinationBucket}.`;
};

/**
 * The replication canary (replicationCanary) writes a small non-PHI object under `replguard-canary/` in each
 * opted-in source and looks for its replica: a replica not there within the threshold (15 minutes, or the
 * rule's RTC threshold), or a FAILED replication status, raises the finding; the next canary that replicates
 * in time resolves it.
 */
export const replicationCanaryFailed: RuntimeRule<CanaryVerdict> = defineRuntimeRule({
  id: 'replication_canary_failed',
  title: 'Replication delivers a canary object within its threshold',
  problem: 'replication canary not delivered',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.ContingencyTesting],
  remediation: {
    text: 'Find why new objects stop replicating on this pair (the probable cause names a failing rule and its fix; also check the pair for replication failure events and throttling), then wait for the next canary run: a canary that replicates in time resolves the finding.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html',
  },
  source: 'the replication canary (replicationCanary, scheduled)',
  findingKey: (verdict, accountId) => ({
    accountId,
    region: verdict.pair.region,
    bucket: verdict.pair.bucket,
    destinationBucket: verdict.pair.destinationBucket,
    replicationRuleId: verdict.pair.replicationRuleId,
    ruleId: replicationCanaryFailed.id,
    variant: null,
  }),
  evaluate: (verdict, { diagnosis, accountId, previous }): RuleResult => {
    const ref = pairRefOf(verdict.pair);
    const destinationAccountId =
      destinationAccountOn(diagnosis, ref) ??
      (verdict.pair.destinationAccountId !== accountId ? verdict.pair.destinationAccountId : undefined);
    const base = {
      ruleId: replicationCanaryFailed.id,
      severity: replicationCanaryFailed.severity,
      bucket: verdict.pair.bucket,
      destinationBucket: verdict.pair.destinationBucket,
      replicationRuleId: verdict.pair.replicationRuleId,
      hipaa: replicationCanaryFailed.hipaa,
      accountId,
      region: verdict.pair.region,
      ...(destinationAccountId ? { destinationAccountId } : {}),
    };
    const details = {
      canaryKey: verdict.canaryKey,
      writtenAt: iso(verdict.writtenAt),
      judgedAt: iso(verdict.judgedAt),
      thresholdMinutes: verdict.pair.thresholdMinutes,
      rtc: verdict.pair.rtc,
      sourceStatus: verdict.sourceStatus,
      replica: verdict.replica,
      ...(verdict.replicaNote ? { replicaNote: verdict.replicaNote } : {}),
      ...(verdict.latencySeconds !== undefined
        ? { latencySeconds: verdict.latencySeconds, measuredInRun: verdict.measuredInRun }
        : {}),
    };
    if (verdict.outcome === CanaryOutcome.Replicated)
      return {
        ...base,
        status: 'COMPLIANT',
        message: `The replication canary of ${pathOf(ref)} replicated within ${verdict.pair.thresholdMinutes} minutes.`,
        remediation: '',
        details,
      };
    const counts = countsOf(previous);
    const root = diagnosis
      ? rootCauseOnPair(diagnosis, ref, REPLICATION_BREAKING_RULE_IDS)
      : { causes: [], unverified: [], otherProblems: [] };
    const resources = resourcesOf(root);
    return {
      ...base,
      status: 'NON_COMPLIANT',
      message: `${symptomOf(verdict)} ${explain(root, REPLICATION_BREAKING_RULE_IDS, diagnosis ?? { ok: false, reason: 'not diagnosed' }, { label: 'Probable cause' })}`,
      remediation: remediationOf(replicationCanaryFailed, root, ''),
      ...(resources.length > 0 ? { resources } : {}),
      details: {
        ...details,
        count: (counts?.count ?? 0) + 1,
        firstSeen: counts?.firstSeen ?? iso(verdict.judgedAt),
        lastSeen: iso(verdict.judgedAt),
        probableCause: root.causes.map((c) => c.ruleId),
        diagnosis: diagnosis?.ok ? 'complete' : 'unavailable',
      },
    };
  },
});
