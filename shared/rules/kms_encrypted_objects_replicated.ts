import { replicationChange } from './lib/plannedKeys.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

const KMS_ALGORITHMS: Readonly<Record<string, string>> = { 'aws:kms': 'SSE-KMS', 'aws:kms:dsse': 'DSSE-KMS' };

/**
 * S3 replicates objects encrypted with SSE-KMS or DSSE-KMS only when the rule opts in with
 * SseKmsEncryptedObjects; otherwise it skips them silently, with no failure event.
 */
export const kmsEncryptedObjectsReplicated = defineRule({
  id: 'kms_encrypted_objects_replicated',
  title: 'Replication rules include KMS-encrypted objects',
  problem: 'KMS-encrypted objects not replicated',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.Encryption, Hipaa.Integrity],
  remediation: {
    text: 'Set SourceSelectionCriteria.SseKmsEncryptedObjects to Enabled and a ReplicaKmsKeyID on every rule of a KMS-encrypted source, then replicate the skipped objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
  },
  permissions: ['s3:GetEncryptionConfiguration', 's3:GetReplicationConfiguration'],
  evaluate: (snapshot) =>
    perReplicationRule(kmsEncryptedObjectsReplicated, snapshot, ({ rule, destination, scope }, results) => {
      const src = snapshot.source;
      const encryption = need(src.encryption, `the default encryption of ${src.name}`, results, scope);
      if (!encryption.ok) return encryption.result;
      const kind = encryption.value ? KMS_ALGORITHMS[encryption.value.algorithm] : undefined;
      if (!kind)
        return results.notApplicable(
          `${src.name} is not default-encrypted with a KMS key (${encryption.value?.algorithm ?? 'no default encryption'}).`,
          scope,
        );
      if (rule.sseKmsEncryptedObjects === 'Enabled')
        return results.compliant(`Rule ${rule.id} replicates the ${kind} objects of ${src.name}.`, scope);
      void destination;
      return results.nonCompliant(
        `${src.name} is default-encrypted with ${kind}, but rule ${rule.id} (to ${rule.destination.bucket}) does not set SseKmsEncryptedObjects Enabled: S3 silently skips every ${kind} object, with no failure event.`,
        `Enable SseKmsEncryptedObjects on rule ${rule.id} with a replica key at the destination (kms_replica_key_configured), let the replication role kms:Decrypt the source key and kms:Encrypt the replica key, then replicate the skipped objects with S3 Batch Replication (filter ObjectReplicationStatuses NONE).`,
        {
          ...scope,
          changes: [
            replicationChange(src, { patches: [{ ruleId: rule.id, sseKmsEncryptedObjects: 'Enabled' }] }),
          ],
        },
      );
    }),
});
