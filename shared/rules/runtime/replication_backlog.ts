import { type AlarmChange, type AlarmPair, AlarmState } from '../../events/alarm.js';
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
import { REPLICATION_BREAKING_RULE_IDS } from './failureReasons.js';
import { defineRuntimeRule, type RuntimeRule } from './types.js';

/** One replicated pair of an alarm's state change. */
export interface BacklogObservation {
  readonly change: AlarmChange;
  readonly pair: AlarmPair;
}

const pairRefOf = (pair: AlarmPair): PairRef => ({
  bucket: pair.sourceBucket,
  destinationBucket: pair.destinationBucket,
  replicationRuleId: pair.replicationRuleId,
});

/**
 * A CloudWatch alarm on an S3 replication metric of a pair went to ALARM: the finding names the metric and
 * its value, with the pair's diagnosis as probable cause; the alarm back to OK resolves it.
 */
export const replicationBacklog: RuntimeRule<BacklogObservation> = defineRuntimeRule({
  id: 'replication_backlog',
  title: 'The replication backlog stays below its alarm threshold',
  problem: 'replication backlog over threshold',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.IncidentResponse],
  remediation: {
    text: 'Find why objects are not replicating (failures, permissions, a disabled key, throttling at the destination); the diagnosis of the pair names configuration causes.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html',
  },
  source: 'CloudWatch alarms on AWS/S3 replication metrics (onReplicationAlarm)',
  findingKey: ({ change, pair }, accountId) => ({
    accountId,
    region: change.region,
    bucket: pair.sourceBucket,
    destinationBucket: pair.destinationBucket,
    replicationRuleId: pair.replicationRuleId,
    ruleId: replicationBacklog.id,
    variant: null,
  }),
  evaluate: ({ change, pair }, { diagnosis, accountId }): RuleResult => {
    const ref = pairRefOf(pair);
    const destinationAccountId = destinationAccountOn(diagnosis, ref);
    const base = {
      ruleId: replicationBacklog.id,
      severity: replicationBacklog.severity,
      bucket: pair.sourceBucket,
      destinationBucket: pair.destinationBucket,
      replicationRuleId: pair.replicationRuleId,
      hipaa: replicationBacklog.hipaa,
      accountId,
      region: change.region,
      ...(destinationAccountId ? { destinationAccountId } : {}),
    };
    const metrics = pair.metrics.join(', ');
    const details = {
      alarmName: change.alarmName,
      ...(change.alarmArn ? { alarmArn: change.alarmArn } : {}),
      metrics: pair.metrics,
      ...(change.expression ? { expression: change.expression } : {}),
      ...(change.value !== undefined ? { value: change.value } : {}),
      ...(change.threshold !== undefined ? { threshold: change.threshold } : {}),
      ...(change.stateTime ? { lastSeen: new Date(change.stateTime).toISOString() } : {}),
    };
    if (change.state !== AlarmState.Alarm || !diagnosis)
      return {
        ...base,
        status: 'COMPLIANT',
        message: `Alarm ${change.alarmName} on ${metrics} for the replication of ${pathOf(ref)} is OK again.`,
        remediation: '',
        details,
      };
    const root = rootCauseOnPair(diagnosis, ref, REPLICATION_BREAKING_RULE_IDS);
    const resources = resourcesOf(root);
    return {
      ...base,
      status: 'NON_COMPLIANT',
      message:
        `Replication of ${pathOf(ref)} is backing up: alarm ${change.alarmName} is in ALARM on ${metrics}. ` +
        explain(root, REPLICATION_BREAKING_RULE_IDS, diagnosis, { label: 'Probable cause' }),
      remediation: remediationOf(replicationBacklog, root, ''),
      ...(resources.length > 0 ? { resources } : {}),
      details: {
        ...details,
        probableCause: root.causes.map((c) => c.ruleId),
        diagnosis: diagnosis.ok ? 'complete' : 'unavailable',
      },
    };
  },
});
