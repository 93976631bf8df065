import type { Change } from '../model/fix.js';
import { arns } from '../model/partition.js';
import type { Snapshot } from '../model/snapshot.js';
import { bucketsToCheck, type CheckedBucket, describeBucket } from './lib/buckets.js';
import { keyChoice } from './lib/plannedKeys.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

const KMS_ALGORITHMS: Readonly<Record<string, string>> = { 'aws:kms': 'SSE-KMS', 'aws:kms:dsse': 'DSSE-KMS' };

/**
 * The key to encrypt with: for a destination, the replica key of the rules writing to it (customer managed,
 * in its Region); otherwise a new customer managed key the fix creates.
 */
const suggestedKey = (
  snapshot: Snapshot,
  bucket: CheckedBucket,
  region: string,
): { keyId: string; create: Change[] } => {
  const replication = snapshot.source.replication;
  const replicaKey =
    bucket.kind === 'destination' && replication.known
      ? replication.value?.rules.find(
          (r) =>
            bucket.ruleIds.includes(r.id) &&
            r.destination.replicaKmsKeyId &&
            !r.destination.replicaKmsKeyId.includes(':alias/aws/') &&
            r.destination.replicaKmsKeyId.split(':')[3] === region,
        )?.destination.replicaKmsKeyId
      : undefined;
  if (replicaKey) return { keyId: replicaKey, create: [] };
  const planned = keyChoice(bucket.name, bucket.accountId, region);
  return { keyId: arns.alias(region, bucket.accountId, planned.alias), create: [planned.change] };
};

/** PHI at rest, at the source and at every replica, is encrypted by default with a KMS key (auditable, revocable). */
export const encryptionAtRestKms = defineRule({
  id: 'encryption_at_rest_kms',
  title: 'Source and destination buckets are default-encrypted with KMS',
  problem: 'bucket not encrypted with KMS',
  severity: 'HIGH',
  hipaa: [Hipaa.Encryption],
  remediation: {
    text: 'Set default encryption to SSE-KMS (or DSSE-KMS) with a customer managed key on the source and every destination. Existing objects keep their encryption until rewritten.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
  },
  permissions: ['s3:GetEncryptionConfiguration', 's3:GetReplicationConfiguration', 's3:GetBucketLocation'],
  evaluate(snapshot) {
    const results = resultsFor(encryptionAtRestKms, snapshot);
    const { buckets, skipped } = bucketsToCheck(snapshot, results);
    return [
      ...buckets.map((bucket) => {
        const what = describeBucket(bucket);
        const encryption = need(
          bucket.encryption,
          `the default encryption of ${bucket.name}`,
          results,
          bucket.scope,
        );
        if (!encryption.ok) return encryption.result;
        const kind = encryption.value ? KMS_ALGORITHMS[encryption.value.algorithm] : undefined;
        if (kind)
          return results.compliant(
            `The ${what} is default-encrypted with ${kind}${encryption.value?.kmsKeyId ? ` (key ${encryption.value.kmsKeyId})` : ' (AWS managed key aws/s3)'}.`,
            bucket.scope,
          );
        const region = bucket.region.known ? bucket.region.value : snapshot.source.region;
        const key = suggestedKey(snapshot, bucket, region);
        const current = encryption.value
          ? encryption.value.algorithm === 'AES256'
            ? 'SSE-S3 (AES256) only'
            : encryption.value.algorithm
          : 'not default-encrypted';
        const sourceNote =
          bucket.kind === 'source'
            ? ' Before switching the source, enable SseKmsEncryptedObjects and a ReplicaKmsKeyID on every replication rule and grant the role kms:Decrypt, or the new objects stop replicating.'
            : ' Grant the replication role kms:Encrypt and kms:GenerateDataKey on that key.';
        return results.nonCompliant(
          `The ${what} is ${current}: its PHI is not under a KMS key you control and audit.`,
          `Default-encrypt ${bucket.name} with SSE-KMS under ${key.keyId}${
            bucket.kind === 'destination' ? ` (with credentials of account ${bucket.accountId})` : ''
          }.${sourceNote} Existing objects keep their old encryption until copied over.`,
          {
            ...bucket.scope,
            details: { algorithm: encryption.value?.algorithm ?? null },
            changes: [
              ...key.create,
              {
                kind: 'encryption',
                bucket: bucket.name,
                accountId: bucket.accountId,
                region,
                keyId: key.keyId,
                bucketKey: true,
              },
            ],
          },
        );
      }),
      ...skipped,
    ];
  },
});
