import { replicationChange } from './lib/plannedKeys.js';
import { ENABLED_METRICS } from './lib/replicationJson.js';
import { perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** Without replication metrics S3 emits no OperationFailedReplication events and no pending metrics: failures go unseen. */
export const replicationMetricsEnabled = defineRule({
  id: 'replication_metrics_enabled',
  title: 'Replication rules have replication metrics enabled',
  problem: 'replication metrics off',
  severity: 'HIGH',
  hipaa: [Hipaa.IncidentResponse, Hipaa.DataBackup],
  remediation: {
    text: 'Enable Metrics (Status Enabled, EventThreshold 15 minutes) on every replication rule so S3 emits failure events and backlog metrics.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html',
  },
  permissions: ['s3:GetReplicationConfiguration'],
  evaluate: (snapshot) =>
    perReplicationRule(replicationMetricsEnabled, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      if (rule.destination.metrics?.status === 'Enabled')
        return results.compliant(
          `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) has replication metrics enabled.`,
          scope,
        );
      return results.nonCompliant(
        `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) has no replication metrics: S3 sends no OperationFailedReplication events and no pending-replication metrics for it, so failed copies go unnoticed.`,
        `Enable Metrics (Status Enabled, EventThreshold 15 minutes) on rule ${rule.id}.`,
        {
          ...scope,
          changes: [replicationChange(src, { patches: [{ ruleId: rule.id, metrics: ENABLED_METRICS }] })],
        },
      );
    }),
});
