import type { Aggregate } from '../../events/aggregate.js';
import { Hipaa } from '../../model/result.js';
import { aggregateFinding, aggregateKey, countsOf, quietSince } from './aggregates.js';
import { defineRuntimeRule, type RuntimeRule } from './types.js';

/**
 * S3 Replication Time Control reports OperationMissedThreshold and OperationReplicatedAfterThreshold events:
 * one finding per pair, with the probable cause among the rules that can stop replication.
 */
export const replicationThresholdMissed: RuntimeRule<Aggregate> = defineRuntimeRule({
  id: 'replication_threshold_missed',
  title: 'Replication completes within the Replication Time Control threshold',
  problem: 'replication missed its time threshold',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: 'Check the pair for failures and throttling (ReplicationLatency, OperationsPendingReplication); S3 RTC replicates 99.99% of objects within 15 minutes.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  },
  source:
    's3:Replication:OperationMissedThreshold and OperationReplicatedAfterThreshold events (onReplicationFailure)',
  findingKey: (aggregate, accountId) => aggregateKey(replicationThresholdMissed, aggregate, accountId),
  evaluate: (aggregate, { diagnosis, accountId, previous }) => {
    const counts = countsOf(previous);
    return aggregateFinding(replicationThresholdMissed, {
      aggregate,
      diagnosis: diagnosis ?? { ok: false, reason: 'not diagnosed' },
      accountId,
      ...(counts ? { previous: counts } : {}),
    });
  },
  reassess: (stored, { now, quietPeriodMs }) =>
    quietSince(stored, now, quietPeriodMs)
      ? `no threshold event for ${Math.round(quietPeriodMs / 60_000)} minutes`
      : undefined,
});
