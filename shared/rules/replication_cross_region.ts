import { arns } from '../model/partition.js';
import type { ReplicationRule, Snapshot } from '../model/snapshot.js';
import { liveDestination } from './lib/buckets.js';
import { describeFilter, filterCovers } from './lib/filters.js';
import { keyChoice, replicationChange } from './lib/plannedKeys.js';
import { drRegionFor } from './lib/regions.js';
import { need, perReplicationRule, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** Enabled rules whose destination is known to be in another Region than the source. */
const crossRegionRules = (snapshot: Snapshot): ReplicationRule[] => {
  const replication = snapshot.source.replication;
  const rules = replication.known ? (replication.value?.rules ?? []) : [];
  return rules.filter((r) => {
    if (r.status !== 'Enabled') return false;
    const d = snapshot.destinations[r.destination.bucketArn];
    return (
      d?.exists.known === true &&
      d.exists.value &&
      d.region.known &&
      d.region.value !== snapshot.source.region
    );
  });
};

/**
 * With `requireCrossRegion`, each replicated object must have a copy in another Region. A same-Region rule
 * passes when another enabled rule replicates a superset of its objects to another Region (S3 applies every
 * matching rule that has a different destination).
 */
export const replicationCrossRegion = defineRule({
  id: 'replication_cross_region',
  title: 'Replication keeps a copy in another AWS Region',
  problem: 'no copy in another Region',
  severity: 'MEDIUM',
  hipaa: [Hipaa.DisasterRecovery],
  remediation: {
    text: 'Replicate to a destination bucket in another AWS Region (add a rule or change the destination), then copy existing objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html',
  },
  permissions: ['s3:GetReplicationConfiguration', 's3:GetBucketLocation'],
  evaluate(snapshot) {
    if (!snapshot.parameters.requireCrossRegion)
      return [
        resultsFor(replicationCrossRegion, snapshot).notApplicable(
          'Cross-Region replication is not required (parameter requireCrossRegion is off).',
        ),
      ];
    const elsewhere = crossRegionRules(snapshot);
    return perReplicationRule(replicationCrossRegion, snapshot, (path, results) => {
      const { rule, scope } = path;
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const name = rule.destination.bucket;
      const region = need(live.value.region, `the Region of ${name}`, results, scope);
      if (!region.ok) return region.result;
      const src = snapshot.source;
      if (region.value !== src.region)
        return results.compliant(
          `Rule ${rule.id} replicates ${src.name} (${src.region}) to ${name} in ${region.value}.`,
          scope,
        );
      const cover = elsewhere.find((other) => filterCovers(other.filter, rule.filter));
      if (cover)
        return results.compliant(
          `Rule ${rule.id} replicates to ${name} in the same Region (${src.region}), but rule ${cover.id} also copies the same objects to ${cover.destination.bucket} in another Region.`,
          { ...scope, details: { coveredBy: cover.id } },
        );
      const other = drRegionFor(src.region);
      const bucket = `${name.slice(0, 62 - other.region.length)}-${other.region}`;
      const account = rule.destination.account ?? live.value.accountId;
      const key = rule.destination.replicaKmsKeyId ? keyChoice(bucket, account, other.region) : undefined;
      const objectLock = src.objectLock.known && src.objectLock.value?.enabled === true;
      return results.nonCompliant(
        `Rule ${rule.id} replicates ${src.name} (${describeFilter(rule.filter)}) only to ${name}, in the same Region ${src.region}: a Regional outage takes both copies.`,
        `Add a rule with the same filter replicating to a new bucket ${bucket} in ${other.region} (account ${account}; ${other.choice}), set up like every destination must be, then copy existing objects with S3 Batch Replication.`,
        {
          ...scope,
          details: { region: region.value },
          changes: [
            {
              kind: 'create-bucket',
              bucket,
              accountId: account,
              region: other.region,
              objectLock,
              regionChoice: other.choice,
            },
            ...(key ? [key.change] : []),
            replicationChange(src, {
              additions: [
                {
                  ruleId: `${rule.id}-cross-region`.slice(0, 255),
                  like: rule.id,
                  destinationBucket: bucket,
                  ...(rule.destination.account ? { destinationAccount: rule.destination.account } : {}),
                  ...(key ? { replicaKmsKeyId: arns.alias(other.region, account, key.alias) } : {}),
                },
              ],
            }),
          ],
        },
      );
    });
  },
});
