import { defineRule, Hipaa } from './types.js';
import { need, perReplicationRule } from './result.js';

/** A destination whose versioning is suspended fails every replication with DstBucketUnversioned. */
export const versioningDestinationEnabled = defineRule({
  id: 'versioning_destination_enabled',
  title: 'Replication destinations keep versioning enabled',
  problem: 'destination versioning not enabled',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.Integrity],
  remediation: {
    text: 'Enable versioning on the destination bucket, then re-replicate failed objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html',
  },
  permissions: ['s3:GetBucketVersioning'],
  evaluate: (snapshot) =>
    perReplicationRule(versioningDestinationEnabled, snapshot, ({ rule, destination, scope }, results) => {
      const name = rule.destination.bucket;
      if (!destination) return results.notApplicable(`Destination ${name} was not read.`, scope);
      const exists = need(destination.exists, `whether ${name} exists`, results, scope);
      if (!exists.ok) return exists.result;
      if (!exists.value)
        return results.notApplicable(
          `Destination ${name} does not exist (replication_destination_reachable reports it).`,
          scope,
        );
      const versioning = need(destination.versioning, `the versioning status of ${name}`, results, scope);
      if (!versioning.ok) return versioning.result;
      if (versioning.value === 'Enabled')
        return results.compliant(`Versioning is Enabled on destination ${name} (rule ${rule.id}).`, scope);
      const state = versioning.value === 'Suspended' ? 'Suspended' : 'not enabled';
      return results.nonCompliant(
        `Versioning on destination ${name} of ${snapshot.source.name} (rule ${rule.id}) is ${state}; every replication fails with DstBucketUnversioned.`,
        `Enable versioning on ${name} (with credentials of account ${destination.accountId}), then re-replicate failed objects with S3 Batch Replication.`,
        {
          ...scope,
          changes: [
            {
              kind: 'versioning',
              bucket: name,
              accountId: destination.accountId,
              ...(destination.region.known ? { region: destination.region.value } : {}),
            },
          ],
        },
      );
    }),
});
