import { replicationChange } from './lib/plannedKeys.js';
import { ENABLED_METRICS } from './lib/replicationJson.js';
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
      return results.nonCompliant(
        `Rule ${rule.id} (${src.name} → ${rule.destination.bucket}) does not use S3 Replication Time Control, which requireRtc demands: no 15-minute replication SLA and no OperationMissedThreshold events.`,
        `Enable ReplicationTime (15 minutes) and Metrics (EventThreshold 15 minutes) on rule ${rule.id}.`,
        {
          ...scope,
          changes: [
            replicationChange(src, {
              patches: [
                {
                  ruleId: rule.id,
                  replicationTime: { status: 'Enabled', minutes: 15 },
                  metrics: ENABLED_METRICS,
                },
              ],
            }),
          ],
        },
      );
    });
  },
});
