import { DataSource, unknown } from '../model/datum.js';
import type { Snapshot } from '../model/snapshot.js';
import { replicationChange } from './lib/plannedKeys.js';
import { drRegionFor } from './lib/regions.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

const sourceHasObjectLock = (snapshot: Snapshot): boolean =>
  snapshot.source.objectLock.known && snapshot.source.objectLock.value?.enabled === true;

/** A destination that is gone, or in another account than the rule says, fails every replication (DstBucketNotFound). */
export const replicationDestinationReachable = defineRule({
  id: 'replication_destination_reachable',
  title: 'Replication destinations exist where the rules say',
  problem: 'destination bucket missing or unreachable',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: 'Recreate the destination bucket (versioned, in the intended account and Region) or point the rule at the right bucket and account, then re-replicate failed objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html',
  },
  permissions: ['s3:GetReplicationConfiguration', 's3:GetBucketLocation', 'sts:AssumeRole'],
  evaluate: (snapshot) =>
    perReplicationRule(replicationDestinationReachable, snapshot, ({ rule, destination, scope }, results) => {
      const name = rule.destination.bucket;
      const src = snapshot.source.name;
      if (!destination)
        return results.unknown(
          `destination ${name}`,
          unknown(`destination ${name} was not read`, 's3:GetBucketLocation', DataSource.Derived),
          scope,
        );
      const exists = need(destination.exists, `whether ${name} exists`, results, scope);
      if (!exists.ok) return exists.result;
      if (!exists.value) {
        // Where it was: the Region of the rule's replica key, else the DR pair of the source's Region.
        const keyRegion = rule.destination.replicaKmsKeyId?.startsWith('arn:')
          ? rule.destination.replicaKmsKeyId.split(':')[3]
          : undefined;
        const where = keyRegion
          ? { region: keyRegion, choice: `the Region of the rule's replica key` }
          : drRegionFor(snapshot.source.region);
        return results.nonCompliant(
          `Destination ${name} of ${src} (rule ${rule.id}) does not exist in account ${destination.accountId}; every replication fails with DstBucketNotFound.`,
          `Recreate ${name} in account ${destination.accountId}, ${where.region} (${where.choice}), with every setting a destination needs, or point rule ${rule.id} at an existing bucket; then re-replicate the failed objects with S3 Batch Replication.`,
          {
            ...scope,
            changes: [
              {
                kind: 'create-bucket',
                bucket: name,
                accountId: destination.accountId,
                region: where.region,
                objectLock: sourceHasObjectLock(snapshot),
                regionChoice: where.choice,
              },
            ],
          },
        );
      }
      const expected = rule.destination.account;
      if (expected !== undefined && expected !== destination.accountId) {
        return results.nonCompliant(
          `Rule ${rule.id} of ${src} names account ${expected} for destination ${name}, but the bucket was found in account ${destination.accountId}; S3 cannot replicate to a bucket whose owner differs from the rule's Account.`,
          `If ${name} is the intended bucket, set the rule's Destination.Account to its owner ${destination.accountId}; otherwise point rule ${rule.id} at the intended bucket of account ${expected}.`,
          {
            ...scope,
            details: { ruleAccount: expected, foundAccount: destination.accountId },
            changes: [
              replicationChange(snapshot.source, {
                patches: [{ ruleId: rule.id, destinationAccount: destination.accountId }],
              }),
            ],
          },
        );
      }
      const region = need(destination.region, `the Region of ${name}`, results, scope);
      if (!region.ok) return region.result;
      return results.compliant(
        `Destination ${name} of rule ${rule.id} exists in account ${destination.accountId}, Region ${region.value}.`,
        scope,
      );
    }),
});
