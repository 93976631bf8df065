import { liveDestination } from './lib/buckets.js';
import { describeRetention } from './lib/retention.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * A source with Object Lock replicates only to destinations with Object Lock: anything else fails with
 * DstBucketObjectLockConfigMissing. Since November 2023 S3 can enable Object Lock on an existing versioned
 * bucket (PutObjectLockConfiguration, no AWS Support token needed); it can never be disabled again.
 */
export const objectLockDestinationEnabled = defineRule({
  id: 'object_lock_destination_enabled',
  title: 'Destinations of Object Lock sources have Object Lock enabled',
  problem: 'destination lacks Object Lock',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.Integrity],
  remediation: {
    text: 'Enable Object Lock on the existing (versioned) destination with PutObjectLockConfiguration, or create a new bucket with Object Lock and point the rule at it; then re-replicate the failed objects with S3 Batch Replication. Object Lock cannot be turned off afterwards.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html',
  },
  permissions: ['s3:GetBucketObjectLockConfiguration', 's3:GetReplicationConfiguration'],
  evaluate: (snapshot) =>
    perReplicationRule(objectLockDestinationEnabled, snapshot, (path, results) => {
      const { rule, scope } = path;
      const src = snapshot.source;
      const sourceLock = need(src.objectLock, `the Object Lock configuration of ${src.name}`, results, scope);
      if (!sourceLock.ok) return sourceLock.result;
      if (!sourceLock.value?.enabled)
        return results.notApplicable(`${src.name} does not use Object Lock.`, scope);
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const destination = live.value;
      const name = destination.name;
      const lock = need(destination.objectLock, `the Object Lock configuration of ${name}`, results, scope);
      if (!lock.ok) return lock.result;
      if (lock.value?.enabled)
        return results.compliant(
          `Destination ${name} of rule ${rule.id} has Object Lock enabled, like ${src.name}.`,
          scope,
        );
      const retention = sourceLock.value.defaultRetention;
      const region = destination.region.known ? destination.region.value : undefined;
      const versioned = destination.versioning.known && destination.versioning.value === 'Enabled';
      const where = { bucket: name, accountId: destination.accountId, ...(region ? { region } : {}) };
      return results.nonCompliant(
        `${src.name} uses Object Lock but destination ${name} (rule ${rule.id}) does not: every replication fails with DstBucketObjectLockConfigMissing.`,
        `Enable Object Lock on ${name} itself (account ${destination.accountId}; its versioning must be Enabled) with ${describeRetention(retention)} as on ${src.name}; Object Lock can never be disabled afterwards. Then re-replicate the failed objects with S3 Batch Replication (ObjectReplicationStatuses FAILED).`,
        {
          ...scope,
          changes: [
            ...(versioned ? [] : [{ kind: 'versioning' as const, ...where }]),
            { kind: 'object-lock', ...where, ...(retention ? { retention } : {}) },
          ],
        },
      );
    }),
});
