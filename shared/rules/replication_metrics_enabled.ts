import { ENABLED_METRICS, putReplicationCommand, withRuleChanged } from './lib/replicationJson.js';
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
      const config = src.replication.known ? src.replication.value : null;
      const fix = config
        ? putReplicationCommand(
            src.name,
            withRuleChanged(config, rule.id, (r) => ({
              ...r,
              destination: { ...r.destination, metrics: ENABLED_METRICS },
            })),
          )
        : undefined;
      return results.nonCompliant(
        `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) has no replication metrics: S3 sends no OperationFailedReplication events and no pending-replication metrics for it, so failed copies go unnoticed.`,
        fix
          ? `Enable Metrics on the rule: \`${fix}\`.`
          : `Enable Metrics (Status Enabled, EventThreshold 15) on rule ${rule.id}.`,
        scope,
      );
    }),
});
