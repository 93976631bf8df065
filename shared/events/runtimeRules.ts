/**
 * Rules reported at runtime, from what S3 and CloudWatch observe (replication events, backlog alarms),
 * rather than from configuration. Same metadata shape as the catalog (shared/rules) so the findings
 * pipeline and the docs treat them alike; they are not in the catalog because they do not evaluate a snapshot.
 */
import { Hipaa, type HipaaCitation, type Remediation, type Severity } from '../rules/types.js';

export interface RuntimeRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly hipaa: readonly HipaaCitation[];
  readonly remediation: Remediation;
  /** What reports it. */
  readonly source: string;
}

const defineRuntimeRule = (rule: RuntimeRule): RuntimeRule => rule;

export const replicationOperationsFailing = defineRuntimeRule({
  id: 'replication_operations_failing',
  title: 'Replication operations are not failing',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.Integrity, Hipaa.IncidentResponse],
  remediation: {
    text: 'Fix the cause the failure reason names (the diagnosis lists the failing rule and its fix), then re-replicate the failed objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html',
  },
  source: 's3:Replication:OperationFailedReplication events (onReplicationFailure)',
});

export const replicationThresholdMissed = defineRuntimeRule({
  id: 'replication_threshold_missed',
  title: 'Replication completes within the Replication Time Control threshold',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: 'Check the pair for failures and throttling (ReplicationLatency, OperationsPendingReplication); S3 RTC replicates 99.99% of objects within 15 minutes.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  },
  source:
    's3:Replication:OperationMissedThreshold and OperationReplicatedAfterThreshold events (onReplicationFailure)',
});

export const replicationBacklog = defineRuntimeRule({
  id: 'replication_backlog',
  title: 'The replication backlog stays below its alarm threshold',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.IncidentResponse],
  remediation: {
    text: 'Find why objects are not replicating (failures, permissions, a disabled key, throttling at the destination); the diagnosis of the pair names configuration causes.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html',
  },
  source: 'CloudWatch alarms on AWS/S3 replication metrics (onReplicationAlarm)',
});

/** Every runtime rule; ids are a public contract like the catalog's. */
export const runtimeRules: readonly RuntimeRule[] = [
  replicationOperationsFailing,
  replicationThresholdMissed,
  replicationBacklog,
];

export const runtimeRuleById = (id: string): RuntimeRule | undefined => runtimeRules.find((r) => r.id === id);
