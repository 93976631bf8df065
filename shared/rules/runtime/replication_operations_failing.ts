import type { Aggregate } from '../../events/aggregate.js';
import { Hipaa } from '../../model/result.js';
import { aggregateFinding, aggregateKey, countsOf, failureResolves } from './aggregates.js';
import { defineRuntimeRule, type RuntimeRule } from './types.js';

/**
 * S3 reports OperationFailedReplication events (with replication metrics on): one finding per pair and
 * failure reason, diagnosed against the catalog rules that reason points at.
 */
export const replicationOperationsFailing: RuntimeRule<Aggregate> = defineRuntimeRule({
  id: 'replication_operations_failing',
  title: 'Replication operations are not failing',
  problem: 'replication operations failing',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.Integrity, Hipaa.IncidentResponse],
  remediation: {
    text: 'Fix the cause the failure reason names (the diagnosis lists the failing rule and its fix), then re-replicate the failed objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html',
  },
  source: 's3:Replication:OperationFailedReplication events (onReplicationFailure)',
  findingKey: (aggregate, accountId) => aggregateKey(replicationOperationsFailing, aggregate, accountId),
  evaluate: (aggregate, { diagnosis, accountId, previous }) => {
    const counts = countsOf(previous);
    return aggregateFinding(replicationOperationsFailing, {
      aggregate,
      diagnosis: diagnosis ?? { ok: false, reason: 'not diagnosed' },
      accountId,
      ...(counts ? { previous: counts } : {}),
    });
  },
  reassess: failureResolves,
});
