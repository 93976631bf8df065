import { ENABLED_METRICS, putReplicationCommand, withRuleChanged } from './lib/replicationJson.js';
import { perReplicationRule, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** With `requireRtc`, every rule uses S3 Replication Time Control (15-minute replication, with threshold events). */
export const replicationTimeControl = defineRule({
  id: 'replication_time_control',
  title: 'Replication rules use S3 Replication Time Control',
  problem: 'Replication Time Control off',
  severity: 'MEDIUM',
  hipaa: [Hipaa.DisasterRecovery],
  remediation: {
    text: 'Enable ReplicationTime (15 minutes) together with Metrics on every replication rule.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  },
  permissions: ['s3:GetReplicationConfiguration'],
  evaluate(snapshot) {
    if (!snapshot.parameters.requireRtc)
      return [
        resultsFor(replicationTimeControl, snapshot).notApplicable(
          'S3 Replication Time Control is not required (parameter requireRtc is off).',
        ),
      ];
    return perReplicationRule(replicationTimeControl, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      if (rule.destination.replicationTime?.status === 'Enabled')
        return results.compliant(
          `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) uses Replication Time Control.`,
          scope,
        );
      const config = src.replication.known ? src.replication.value : null;
      const fix = config
        ? putReplicationCommand(
            src.name,
            withRuleChanged(config, rule.id, (r) => ({
              ...r,
              destination: {
                ...r.destination,
                replicationTime: { status: 'Enabled', minutes: 15 },
                metrics:
                  r.destination.metrics?.status === 'Enabled'
                    ? {
                        status: 'Enabled',
                        eventThresholdMinutes: r.destination.metrics.eventThresholdMinutes ?? 15,
                      }
                    : ENABLED_METRICS,
              },
            })),
          )
        : undefined;
      return results.nonCompliant(
        `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) does not use S3 Replication Time Control, which requireRtc demands: no 15-minute replication SLA and no OperationMissedThreshold events.`,
        fix
          ? `Enable ReplicationTime with Metrics on the rule: \`${fix}\`.`
          : `Enable ReplicationTime (15 minutes) and Metrics on rule ${rule.id}.`,
        scope,
      );
    });
  },
});
