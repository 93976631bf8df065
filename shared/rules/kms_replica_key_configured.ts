import type { Change } from '../model/fix.js';
import { arns } from '../model/partition.js';
import type { KeyInfo } from '../model/snapshot.js';
import { liveDestination } from './lib/buckets.js';
import { resolveKey } from './lib/keys.js';
import { keyChoice, replicationChange } from './lib/plannedKeys.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

const keyRef = (key: KeyInfo) => ({ resources: [{ type: 'AwsKmsKey' as const, id: key.keyArn }] });

/**
 * Replicated KMS objects are re-encrypted with the rule's ReplicaKmsKeyID: it must exist, be Enabled, live in
 * the destination's Region, and be customer managed when the destination is in another account.
 */
export const kmsReplicaKeyConfigured = defineRule({
  id: 'kms_replica_key_configured',
  title: 'Replica KMS keys exist, are enabled and usable at the destination',
  problem: 'replica KMS key not usable',
  severity: 'CRITICAL',
  hipaa: [Hipaa.Encryption, Hipaa.DataBackup],
  remediation: {
    text: "Point ReplicaKmsKeyID at an Enabled customer managed key in the destination's Region (and account, for cross-account replication), then re-replicate failed objects with S3 Batch Replication.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
  },
  permissions: ['s3:GetReplicationConfiguration', 's3:GetBucketLocation', 'kms:DescribeKey'],
  evaluate: (snapshot) =>
    perReplicationRule(kmsReplicaKeyConfigured, snapshot, (path, results) => {
      const { rule, scope } = path;
      const src = snapshot.source;
      const name = rule.destination.bucket;
      if (rule.sseKmsEncryptedObjects !== 'Enabled')
        return results.notApplicable(`Rule ${rule.id} does not replicate KMS-encrypted objects.`, scope);
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const destination = live.value;
      const region = need(destination.region, `the Region of ${name}`, results, scope);
      if (!region.ok) return region.result;
      const dstAccount = destination.accountId;
      const dstDefault = destination.encryption.known ? destination.encryption.value?.kmsKeyId : undefined;
      const ref = rule.destination.replicaKmsKeyId;
      // Another key to point the rule at: the destination's own default key when it is a customer managed key
      // of its Region and account, else a new key in the destination's account and Region.
      const usable =
        dstDefault?.startsWith('arn:') &&
        !dstDefault.includes(':alias/aws/') &&
        dstDefault.split(':')[3] === region.value &&
        dstDefault.split(':')[4] === dstAccount &&
        dstDefault !== ref
          ? dstDefault
          : undefined;
      const planned = keyChoice(name, dstAccount, region.value);
      const suggested = usable ?? arns.alias(region.value, dstAccount, planned.alias);
      const pointAt = (): Change[] => [
        ...(usable ? [] : [planned.change]),
        replicationChange(src, { patches: [{ ruleId: rule.id, replicaKmsKeyId: suggested }] }),
      ];
      const pointText = usable
        ? `point rule ${rule.id} at ${usable}, the destination's default key`
        : `point rule ${rule.id} at a new customer managed key in account ${dstAccount}, ${region.value} (${planned.alias})`;
      if (!ref)
        return results.nonCompliant(
          `Rule ${rule.id} replicates KMS-encrypted objects of ${src.name} to ${name} but names no ReplicaKmsKeyID, so S3 has no key to encrypt the replicas with.`,
          `Name a customer managed key in ${region.value}: ${pointText}, and allow the replication role kms:Encrypt and kms:GenerateDataKey on it.`,
          { ...scope, changes: pointAt() },
        );
      const found = need(
        resolveKey(snapshot, ref, region.value, [dstAccount, src.accountId]),
        `KMS key ${ref}`,
        results,
        scope,
      );
      if (!found.ok) return found.result;
      const key = found.value;
      if (key === null)
        return results.nonCompliant(
          `Replica key ${ref} of rule ${rule.id} (${src.name} → ${name}) does not exist; replication of KMS objects fails with DstKmsKeyNotFound.`,
          `${pointText[0]?.toUpperCase()}${pointText.slice(1)}, then re-replicate failed objects with S3 Batch Replication.`,
          { ...scope, changes: pointAt() },
        );
      if (key.state !== 'Enabled') {
        const revive = key.state === 'PendingDeletion' || key.state === 'Disabled';
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} (${src.name} → ${name}) is ${key.state}; replication of KMS objects fails with DstKmsKeyInvalidState.`,
          revive
            ? `${key.state === 'PendingDeletion' ? 'Cancel the deletion of the key and enable it' : 'Re-enable the key'} (account ${key.accountId}); re-replicate failed objects with S3 Batch Replication.`
            : `Wait for the key to become Enabled, or ${pointText}.`,
          {
            ...scope,
            ...keyRef(key),
            details: { keyState: key.state },
            changes: revive
              ? [
                  {
                    kind: 'key-state',
                    keyArn: key.keyArn,
                    accountId: key.accountId,
                    region: key.region,
                    from: key.state,
                  },
                ]
              : pointAt(),
          },
        );
      }
      if (key.region !== region.value)
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} is in ${key.region}, but destination ${name} is in ${region.value}; S3 needs a key in the destination's Region.`,
          `Use a key in ${region.value}: ${pointText} (a multi-Region key could be replicated there instead).`,
          {
            ...scope,
            ...keyRef(key),
            details: { keyRegion: key.region, destinationRegion: region.value },
            changes: pointAt(),
          },
        );
      if (key.manager === 'AWS' && dstAccount !== src.accountId)
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} is AWS managed, but destination ${name} is in account ${dstAccount}: AWS managed keys cannot be shared across accounts.`,
          `Use a customer managed key of account ${dstAccount}: ${pointText}, and allow the replication role kms:Encrypt and kms:GenerateDataKey in its key policy.`,
          { ...scope, ...keyRef(key), details: { keyManager: key.manager }, changes: pointAt() },
        );
      return results.compliant(
        `Replica key ${key.keyArn} of rule ${rule.id} is Enabled, ${key.manager === 'AWS' ? 'AWS' : 'customer'} managed, in ${key.region} with destination ${name}.`,
        { ...scope, ...keyRef(key) },
      );
    }),
});
