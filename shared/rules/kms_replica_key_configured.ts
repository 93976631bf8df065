import type { KeyInfo } from '../model/snapshot.js';
import { liveDestination } from './lib/buckets.js';
import { resolveKey } from './lib/keys.js';
import { putReplicationCommand, withRuleChanged } from './lib/replicationJson.js';
import { shq } from '../support/shell.js';
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
      const config = src.replication.known ? src.replication.value : null;
      const dstDefault = destination.encryption.known ? destination.encryption.value?.kmsKeyId : undefined;
      const ref = rule.destination.replicaKmsKeyId;
      const suggested =
        dstDefault?.startsWith('arn:') &&
        !dstDefault.includes(':alias/aws/') &&
        dstDefault.split(':')[3] === region.value &&
        dstDefault !== ref
          ? dstDefault
          : `arn:aws:kms:${region.value}:${dstAccount}:key/<key-id>`;
      const pointAt = (key: string) =>
        config
          ? `\`${putReplicationCommand(
              src.name,
              withRuleChanged(config, rule.id, (r) => ({
                ...r,
                destination: { ...r.destination, replicaKmsKeyId: key },
              })),
            )}\``
          : `set ReplicaKmsKeyID of rule ${rule.id} to ${key}`;
      if (!ref)
        return results.nonCompliant(
          `Rule ${rule.id} replicates KMS-encrypted objects of ${src.name} to ${name} but names no ReplicaKmsKeyID, so S3 has no key to encrypt the replicas with.`,
          `Name a customer managed key in ${region.value}: ${pointAt(suggested)}, and allow the replication role kms:Encrypt and kms:GenerateDataKey on it.`,
          scope,
        );
      const found = need(
        resolveKey(snapshot, ref, region.value, [dstAccount, src.accountId]),
        `KMS key ${ref}`,
        results,
        scope,
      );
      if (!found.ok) return found.result;
      const key = found.value;
      const alternative =
        key && suggested === key.keyArn
          ? `arn:aws:kms:${region.value}:${dstAccount}:key/<key-id>`
          : suggested;
      if (key === null)
        return results.nonCompliant(
          `Replica key ${ref} of rule ${rule.id} (${src.name} → ${name}) does not exist; replication of KMS objects fails with DstKmsKeyNotFound.`,
          `Create a customer managed key in ${region.value} (\`aws kms create-key --region ${region.value} --description ${shq(
            `Replica key for ${name}`,
          )}\`) and point the rule at it: ${pointAt(suggested)}.`,
          scope,
        );
      const where = `--region ${shq(key.region)} --key-id ${shq(key.keyArn)}`;
      if (key.state !== 'Enabled')
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} (${src.name} → ${name}) is ${key.state}; replication of KMS objects fails with DstKmsKeyInvalidState.`,
          key.state === 'PendingDeletion'
            ? `Cancel the deletion and re-enable it: \`aws kms cancel-key-deletion ${where}\` then \`aws kms enable-key ${where}\` (account ${key.accountId}); re-replicate failed objects with S3 Batch Replication.`
            : key.state === 'Disabled'
              ? `Re-enable it: \`aws kms enable-key ${where}\` (account ${key.accountId}); re-replicate failed objects with S3 Batch Replication.`
              : `Wait for the key to become Enabled or point the rule at an Enabled key: ${pointAt(alternative)}.`,
          { ...scope, ...keyRef(key), details: { keyState: key.state } },
        );
      if (key.region !== region.value)
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} is in ${key.region}, but destination ${name} is in ${region.value}; S3 needs a key in the destination's Region.`,
          `Use a key in ${region.value} (a new key, or a replica of a multi-Region key: \`aws kms replicate-key --key-id ${shq(
            key.keyArn,
          )} --replica-region ${region.value}\` when it is an mrk- key): ${pointAt(alternative)}.`,
          { ...scope, ...keyRef(key), details: { keyRegion: key.region, destinationRegion: region.value } },
        );
      if (key.manager === 'AWS' && dstAccount !== src.accountId)
        return results.nonCompliant(
          `Replica key ${key.keyArn} of rule ${rule.id} is AWS managed, but destination ${name} is in account ${dstAccount}: AWS managed keys cannot be shared across accounts.`,
          `Create a customer managed key in account ${dstAccount}, ${region.value} (\`aws kms create-key --region ${region.value}\`), allow the replication role kms:Encrypt and kms:GenerateDataKey in its key policy, and point the rule at it: ${pointAt(alternative)}.`,
          { ...scope, ...keyRef(key), details: { keyManager: key.manager } },
        );
      return results.compliant(
        `Replica key ${key.keyArn} of rule ${rule.id} is Enabled, ${key.manager === 'AWS' ? 'AWS' : 'customer'} managed, in ${key.region} with destination ${name}.`,
        { ...scope, ...keyRef(key) },
      );
    }),
});
