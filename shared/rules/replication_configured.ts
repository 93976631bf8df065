import type { ReplicationConfiguration, ReplicationRule, Snapshot } from '../model/snapshot.js';
import { partitionOf } from '../model/partition.js';
import { ScopeKind } from '../model/scope.js';
import { replicationChange } from './lib/plannedKeys.js';
import { apiConfiguration, ENABLED_METRICS } from './lib/replicationJson.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

const usesKms = (snapshot: Snapshot): boolean => {
  const enc = snapshot.source.encryption;
  return enc.known && enc.value !== null && enc.value.algorithm.startsWith('aws:kms');
};

/** A starting configuration for a bucket without replication: every object, metrics on, KMS objects included. */
const templateConfiguration = (snapshot: Snapshot): ReplicationConfiguration => {
  const { name, accountId, region } = snapshot.source;
  const partition = partitionOf(region);
  const kms = usesKms(snapshot);
  const rule: ReplicationRule = {
    id: `${name}-dr`,
    priority: 1,
    status: 'Enabled',
    filter: { prefix: '' },
    deleteMarkerReplication: 'Enabled',
    ...(kms ? { sseKmsEncryptedObjects: 'Enabled' as const } : {}),
    destination: {
      bucketArn: `arn:${partition}:s3:::<destination-bucket-in-another-region>`,
      bucket: '<destination-bucket-in-another-region>',
      ...(kms
        ? { replicaKmsKeyId: `arn:${partition}:kms:<destination-region>:<destination-account>:key/<key-id>` }
        : {}),
      metrics: ENABLED_METRICS,
    },
  };
  return { role: `arn:${partition}:iam::${accountId}:role/<replication-role>`, rules: [rule] };
};

/** "replicated from phi-prod" / "arn:aws:iam::111111111111:role/r may write replicas into it". */
const describeWriters = (writers: readonly string[] | undefined): string => {
  const list = writers ?? [];
  if (list.length === 0) return 'it receives replicas';
  const buckets = list.filter((w) => !w.includes(':'));
  const principals = list.filter((w) => w.includes(':'));
  return [
    ...(buckets.length ? [`replicated from ${buckets.join(', ')}`] : []),
    ...(principals.length ? [`its bucket policy lets ${principals.join(', ')} write replicas into it`] : []),
  ].join('; ');
};

/** An in-scope bucket must replicate: without an enabled rule there is no second copy of its PHI. */
export const replicationConfigured = defineRule({
  id: 'replication_configured',
  title: 'In-scope buckets have an enabled replication rule',
  problem: 'no enabled replication rule',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: 'Add a replication configuration with at least one enabled rule to a versioned destination bucket (in another Region for disaster recovery), then copy existing objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-how-setup.html',
  },
  permissions: ['s3:GetReplicationConfiguration', 's3:GetBucketTagging'],
  evaluate(snapshot) {
    const results = resultsFor(replicationConfigured, snapshot);
    const { name } = snapshot.source;
    const replication = snapshot.source.replication;
    const enabled = replication.known
      ? (replication.value?.rules.filter((r) => r.status === 'Enabled') ?? [])
      : [];
    if (enabled.length > 0) {
      const list = enabled.map((r) => `${r.id} → ${r.destination.bucket}`).join(', ');
      return [results.compliant(`${name} replicates with ${enabled.length} enabled rule(s): ${list}.`)];
    }
    if (snapshot.scope.kind === ScopeKind.ReplicaOnly)
      return [
        results.notApplicable(
          `${name} is only a replica destination (${describeWriters(snapshot.scope.replicatedFrom)}); it needs no replication of its own.`,
        ),
      ];
    const config = need(replication, `the replication configuration of ${name}`, results);
    if (!config.ok) return [config.result];
    if (config.value === null && snapshot.scope.missing)
      return [results.unknown(snapshot.scope.missing.what, snapshot.scope.missing.datum)];
    if (config.value === null)
      return [
        results.nonCompliant(
          `${name} has no replication configuration: its PHI has no second copy.`,
          `Decide where the second copy lives (a versioned bucket in another Region, usually another account) and which role replicates, then add a configuration like ${JSON.stringify(
            apiConfiguration(templateConfiguration(snapshot)),
          )} and copy existing objects with S3 Batch Replication.`,
          {
            changes: [
              {
                kind: 'decision',
                accountId: snapshot.source.accountId,
                text: `Choose the disaster recovery destination of ${name} (account, Region, bucket) and its replication role: ReplGuard does not pick where PHI is copied to.`,
              },
            ],
          },
        ),
      ];
    const disabled = config.value.rules.map((r) => r.id);
    return [
      results.nonCompliant(
        `${name} has a replication configuration but no enabled rule (${disabled.join(', ') || 'no rules'}): nothing is replicated.`,
        config.value.rules.length > 0
          ? `Enable rule${disabled.length === 1 ? '' : 's'} ${disabled.join(', ')}, then replicate what was written meanwhile with S3 Batch Replication.`
          : `Add an enabled rule to a versioned destination in another Region, like ${JSON.stringify(
              apiConfiguration({ ...templateConfiguration(snapshot), role: config.value.role }),
            )}.`,
        {
          details: { disabledRules: disabled },
          changes:
            config.value.rules.length > 0
              ? [
                  replicationChange(snapshot.source, {
                    patches: disabled.map((ruleId) => ({ ruleId, status: 'Enabled' as const })),
                  }),
                ]
              : [
                  {
                    kind: 'decision',
                    accountId: snapshot.source.accountId,
                    text: `Choose the disaster recovery destination of ${name}: its replication configuration has no rule.`,
                  },
                ],
        },
      ),
    ];
  },
});
