import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { unevaluableResult } from './lib/unevaluable.js';
import { kmsRequests, REPLICA_KEY_ACTIONS } from '../policy/replication.js';
import {
  causeResources,
  deniedOf,
  describeDenials,
  remediationOf,
  verdictDetails,
} from '../policy/report.js';
import { liveDestination } from './lib/buckets.js';
import { resolveKey } from './lib/keys.js';
import { keyPolicyAndRole } from './lib/kmsPath.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * S3 encrypts each replica with the rule's ReplicaKmsKeyID using the role's credentials: both the role's
 * policies and the key policy must allow kms:Encrypt and kms:GenerateDataKey in S3's request context at
 * the destination (kms:ViaService in its Region; the replica's ARN, or the bucket ARN when the destination
 * uses Bucket Keys, as encryption context).
 */
export const kmsDestinationEncryptAllowed = defineRule({
  id: 'kms_destination_encrypt_allowed',
  title: 'The replication role may encrypt replicas with the replica KMS key',
  problem: 'replica KMS key not allowed',
  severity: 'CRITICAL',
  hipaa: [Hipaa.Encryption, Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: 'Allow the replication role kms:Encrypt and kms:GenerateDataKey on the replica key, in its identity policies (conditioned on kms:ViaService and kms:EncryptionContext:aws:s3:arn of the destination) and in the key policy (which must name the role when the key is in another account).',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
  },
  permissions: [
    's3:GetReplicationConfiguration',
    's3:GetBucketLocation',
    's3:GetEncryptionConfiguration',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'sts:AssumeRole',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    ...ORGANIZATION_PERMISSIONS,
  ],
  evaluate: (snapshot) =>
    perReplicationRule(kmsDestinationEncryptAllowed, snapshot, (path, results) => {
      const { rule, scope } = path;
      const src = snapshot.source;
      const ref = rule.destination.replicaKmsKeyId;
      if (!ref)
        return results.notApplicable(
          `Rule ${rule.id} names no ReplicaKmsKeyID (kms_replica_key_configured reports whether it needs one).`,
          scope,
        );
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const destination = live.value;
      const region = need(destination.region, `the Region of ${destination.name}`, results, scope);
      if (!region.ok) return region.result;
      const encryption = need(
        destination.encryption,
        `the default encryption of ${destination.name}`,
        results,
        scope,
      );
      if (!encryption.ok) return encryption.result;
      const found = need(
        resolveKey(snapshot, ref, region.value, [destination.accountId, src.accountId]),
        `KMS key ${ref}`,
        results,
        scope,
      );
      if (!found.ok) return found.result;
      const key = found.value;
      if (key === null || key.state !== 'Enabled')
        return results.notApplicable(
          `Replica key ${ref} of rule ${rule.id} ${key === null ? 'does not exist' : `is ${key.state}`} (kms_replica_key_configured reports it).`,
          scope,
        );
      // S3 can only use a replica key in the destination's Region: a permission verdict about a key it
      // cannot use would be misleading (kms_replica_key_configured reports the Region).
      if (key.region !== region.value)
        return results.notApplicable(
          `Replica key ${key.keyArn} of rule ${rule.id} is in ${key.region}, not in ${region.value} where ${destination.name} is (kms_replica_key_configured reports it).`,
          scope,
        );
      const chain = keyPolicyAndRole(snapshot, key, results, scope);
      if (!chain.ok) return chain.result;
      const { role: roleInfo, resources } = chain;
      const bucketKeyEnabled = encryption.value?.bucketKeyEnabled ?? false;
      try {
        const org = checkWithOrganization(
          snapshot,
          kmsRequests(
            roleInfo,
            key,
            REPLICA_KEY_ACTIONS,
            { bucket: destination.name, region: region.value, rule, bucketKeyEnabled },
            'ReplGuardReplicationReplicaEncrypt',
          ),
          { scp: true, rcp: true },
        );
        const { checks } = org;
        const withDetails = {
          ...scope,
          resources,
          details: { bucketKeyEnabled, ...verdictDetails(checks), ...org.details },
        };
        if (deniedOf(checks).length > 0)
          return results.nonCompliant(
            `Replication role ${roleInfo.name} may not encrypt replicas in ${destination.name} with replica key ${key.keyArn} (rule ${rule.id} from ${src.name}${
              bucketKeyEnabled
                ? '; the destination uses Bucket Keys, so the encryption context is the bucket ARN'
                : ''
            }): ${describeDenials(checks)}. Replication of KMS-encrypted objects fails (DstPutObjectNotPermitted).${org.note}`,
            key.manager === 'AWS'
              ? `An AWS managed key's policy cannot be changed: point rule ${rule.id} at a customer managed key (kms_replica_key_configured says which).`
              : `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
            {
              ...withDetails,
              resources: causeResources(checks, resources),
              // Nothing to grant on a key nobody can edit: the rule's fix is another key (kms_replica_key_configured).
              changes: key.manager === 'AWS' ? [] : changesOf(checks),
            },
          );
        return results.compliant(
          `Replication role ${roleInfo.name} may kms:Encrypt and kms:GenerateDataKey with ${key.keyArn} through S3 in ${region.value} for replicas in ${destination.name} (rule ${rule.id}).${org.note}`,
          withDetails,
        );
      } catch (error) {
        return unevaluableResult(results, `the policies of ${roleInfo.arn} and ${key.keyArn}`, error, {
          ...scope,
          resources,
        });
      }
    }),
});
