import { liveDestination } from './lib/buckets.js';
import type { Change } from '../model/fix.js';
import { describeRetention, retentionDays } from './lib/retention.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * The replica of a locked object should be held at least as strictly as the original: the same default
 * retention mode, and a period (days and years normalised) no shorter than the source's.
 */
export const objectLockModeConsistent = defineRule({
  id: 'object_lock_mode_consistent',
  title: 'Destination Object Lock retention matches the source',
  problem: 'Object Lock retention differs',
  severity: 'HIGH',
  hipaa: [Hipaa.Integrity, Hipaa.DataBackup],
  remediation: {
    text: "Set the destination's default retention to the source's mode and at least its period with PutObjectLockConfiguration.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
  },
  permissions: ['s3:GetBucketObjectLockConfiguration', 's3:GetReplicationConfiguration'],
  evaluate: (snapshot) =>
    perReplicationRule(objectLockModeConsistent, snapshot, (path, results) => {
      const { rule, scope } = path;
      const src = snapshot.source;
      const sourceLock = need(src.objectLock, `the Object Lock configuration of ${src.name}`, results, scope);
      if (!sourceLock.ok) return sourceLock.result;
      if (!sourceLock.value?.enabled)
        return results.notApplicable(`${src.name} does not use Object Lock.`, scope);
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const name = live.value.name;
      const lock = need(live.value.objectLock, `the Object Lock configuration of ${name}`, results, scope);
      if (!lock.ok) return lock.result;
      if (!lock.value?.enabled)
        return results.notApplicable(
          `Destination ${name} has no Object Lock (object_lock_destination_enabled reports it).`,
          scope,
        );
      const want = sourceLock.value.defaultRetention;
      const have = lock.value.defaultRetention;
      const details = { source: describeRetention(want), destination: describeRetention(have) };
      const fix = () =>
        `Set the default retention of ${name} to ${describeRetention(want)} (account ${live.value.accountId}); existing locked versions keep their retention.`;
      const changes: Change[] = want
        ? [
            {
              kind: 'object-lock',
              bucket: name,
              accountId: live.value.accountId,
              ...(live.value.region.known ? { region: live.value.region.value } : {}),
              retention: want,
            },
          ]
        : [];
      if (!want)
        return results.compliant(
          `${src.name} sets no default retention; destination ${name} has ${describeRetention(have)}.`,
          { ...scope, details },
        );
      if (!have)
        return results.nonCompliant(
          `${src.name} retains new objects ${describeRetention(want)} by default, but destination ${name} (rule ${rule.id}) has no default retention.`,
          fix(),
          { ...scope, details, changes },
        );
      if (have.mode !== want.mode)
        return results.nonCompliant(
          `Default retention modes differ: ${src.name} uses ${want.mode}, destination ${name} (rule ${rule.id}) uses ${have.mode}${
            want.mode === 'COMPLIANCE'
              ? ', which users with s3:BypassGovernanceRetention can shorten or remove'
              : ''
          }.`,
          fix(),
          { ...scope, details, changes },
        );
      if (retentionDays(have) < retentionDays(want))
        return results.nonCompliant(
          `Destination ${name} (rule ${rule.id}) retains ${describeRetention(have)}, shorter than ${src.name}'s ${describeRetention(want)}.`,
          fix(),
          { ...scope, details, changes },
        );
      return results.compliant(
        `Destination ${name} retains ${describeRetention(have)}, at least ${src.name}'s ${describeRetention(want)}.`,
        { ...scope, details },
      );
    }),
});
