import type { ObjectReplicationStats, RuleObjectCounts } from '../model/snapshot.js';
import { perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** "2 FAILED and 1,500 never replicated (exact, S3 Inventory of 2026-12-01)". */
const describe = (c: RuleObjectCounts, stats: ObjectReplicationStats): string => {
  const parts = [
    ...(c.failed ? [`${c.failed.toLocaleString('en-US')} FAILED`] : []),
    ...(c.missing ? [`${c.missing.toLocaleString('en-US')} never replicated (no replication status)`] : []),
  ];
  return `${parts.join(' and ')} object version(s) (${basis(stats)})`;
};

const basis = (stats: ObjectReplicationStats): string =>
  stats.method === 'inventory'
    ? `exact: S3 Inventory report of ${stats.asOf.slice(0, 10)}`
    : stats.exact
      ? `exact: all ${stats.examined.toLocaleString('en-US')} versions examined`
      : `estimated: found in a sample of ${stats.examined.toLocaleString('en-US')} versions, the bucket has more`;

/**
 * Live replication never retries a FAILED object and never copies objects written before its rule: after a
 * break is fixed they stay unreplicated until S3 Batch Replication copies them.
 */
export const replicationBacklogObjects = defineRule({
  id: 'replication_backlog_objects',
  title: 'No object versions are left unreplicated (FAILED, or written before the rule)',
  problem: 'objects never replicated',
  severity: 'HIGH',
  hipaa: [Hipaa.DataBackup, Hipaa.Integrity],
  remediation: {
    text: 'Once the replication path is fixed, copy the FAILED and never-replicated objects with S3 Batch Replication (replguard backfill).',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html',
  },
  // Object-level reads, metadata only: HeadObject of versions (s3:GetObjectVersion), and the S3 Inventory
  // report files (s3:ListBucket, s3:GetObject on the report's bucket). No object's content is ever read.
  permissions: [
    's3:GetReplicationConfiguration',
    's3:GetInventoryConfiguration',
    's3:ListBucketVersions',
    's3:GetObjectVersion',
    's3:ListBucket',
    's3:GetObject',
  ],
  evaluate: (snapshot) =>
    perReplicationRule(replicationBacklogObjects, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      const pair = `Rule ${rule.id} (${src.name} → ${rule.destination.bucket})`;
      const objects = snapshot.objects;
      if (objects === undefined || (objects.known && objects.value === null))
        return results.notApplicable(
          `${pair}: object replication statuses were not examined (objectSampleSize 0).`,
          scope,
        );
      if (!objects.known)
        return results.unknown(`the replication status of the objects of ${src.name}`, objects, scope);
      const stats = objects.value as ObjectReplicationStats;
      const counts = stats.byRule[rule.id];
      if (!counts)
        return results.notApplicable(
          `${pair} filters on object tags, which neither a sample nor an inventory report can match: its objects were not judged.`,
          scope,
        );
      const details = {
        ...counts,
        method: stats.method,
        exact: stats.exact,
        examined: stats.examined,
        asOf: stats.asOf,
      };
      if (counts.failed + counts.missing === 0)
        return results.compliant(
          `${pair}: no FAILED or never-replicated object versions (${basis(stats)}).`,
          { ...scope, details },
        );
      const statuses = [
        ...(counts.failed ? ['FAILED' as const] : []),
        ...(counts.missing ? ['NONE' as const] : []),
      ];
      return results.nonCompliant(
        `${pair}: ${describe(counts, stats)} are not in the destination. Live replication will not copy them: they are missing from the disaster-recovery copy.`,
        `After the other fixes of this path, copy them with S3 Batch Replication (replguard backfill --bucket ${src.name} --statuses ${statuses.join(',')} --rule ${rule.id}).`,
        {
          ...scope,
          details,
          changes: [
            {
              kind: 'backfill',
              bucket: src.name,
              accountId: src.accountId,
              region: src.region,
              ruleIds: [rule.id],
              statuses,
            },
          ],
        },
      );
    }),
});
