import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { unevaluableResult } from './lib/unevaluable.js';
import { kmsRequests } from '../policy/replication.js';
import {
  causeResources,
  deniedOf,
  describeDenials,
  remediationOf,
  verdictDetails,
} from '../policy/report.js';
import { resolveKey } from './lib/keys.js';
import { keyPolicyAndRole } from './lib/kmsPath.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

/**
 * S3 decrypts each KMS-encrypted source object with the role's credentials: the source key must be Enabled
 * and both the role's policies and the key policy must allow kms:Decrypt in S3's request context
 * (kms:ViaService in the source Region; the object ARN, or the bucket ARN with Bucket Keys, as context).
 */
export const kmsSourceDecryptAllowed = defineRule({
  id: 'kms_source_decrypt_allowed',
  title: 'The replication role may decrypt source objects with the source KMS key',
  problem: 'source KMS key not allowed',
  severity: 'CRITICAL',
  hipaa: [Hipaa.Encryption, Hipaa.DataBackup, Hipaa.DisasterRecovery],
  remediation: {
    text: "Allow the replication role kms:Decrypt on the source bucket's KMS key, in its identity policies (conditioned on kms:ViaService and kms:EncryptionContext:aws:s3:arn) and in the key policy (directly, or by delegating to the account), and keep the key Enabled.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
  },
  permissions: [
    's3:GetReplicationConfiguration',
    's3:GetEncryptionConfiguration',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    ...ORGANIZATION_PERMISSIONS,
  ],
  evaluate: (snapshot) =>
    perReplicationRule(kmsSourceDecryptAllowed, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      const encryption = need(src.encryption, `the default encryption of ${src.name}`, results, scope);
      if (!encryption.ok) return encryption.result;
      const defaultKms = encryption.value !== null && KMS_ALGORITHMS.has(encryption.value.algorithm);
      if (!defaultKms && rule.sseKmsEncryptedObjects !== 'Enabled')
        return results.notApplicable(
          `${src.name} is not default-encrypted with KMS and rule ${rule.id} does not replicate KMS-encrypted objects.`,
          scope,
        );
      if (!defaultKms || !encryption.value)
        return results.notApplicable(
          `${src.name} has no default KMS key: the keys of individually KMS-encrypted objects cannot be checked (rule ${rule.id}).`,
          scope,
        );
      const ref = encryption.value.kmsKeyId ?? 'alias/aws/s3';
      const found = need(
        resolveKey(snapshot, ref, src.region, [src.accountId]),
        `KMS key ${ref}`,
        results,
        scope,
      );
      if (!found.ok) return found.result;
      const key = found.value;
      if (key === null)
        return results.nonCompliant(
          `Source key ${ref} of ${src.name} does not exist: S3 cannot decrypt its objects to replicate them (rule ${rule.id}).`,
          `Point the default encryption of ${src.name} at an existing key; objects encrypted with the deleted key cannot be recovered.`,
          {
            ...scope,
            changes: [
              {
                kind: 'decision',
                accountId: src.accountId,
                text: `Source key ${ref} of ${src.name} is gone: choose the key its default encryption uses from now on (objects under the old key cannot be decrypted).`,
              },
            ],
          },
        );
      const keyRef = [{ type: 'AwsKmsKey' as const, id: key.keyArn }];
      if (key.state !== 'Enabled') {
        const revive = key.state === 'PendingDeletion' || key.state === 'Disabled';
        return results.nonCompliant(
          `Source key ${key.keyArn} of ${src.name} is ${key.state}: S3 cannot decrypt objects to replicate them (SrcKmsKeyInvalidState, rule ${rule.id}).`,
          key.state === 'PendingDeletion'
            ? `Cancel the deletion of the key and enable it (account ${key.accountId}).`
            : key.state === 'Disabled'
              ? `Re-enable the key (account ${key.accountId}).`
              : `Wait for the key to become Enabled (account ${key.accountId}).`,
          {
            ...scope,
            resources: keyRef,
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
              : [
                  {
                    kind: 'decision',
                    accountId: key.accountId,
                    text: `Key ${key.keyArn} is ${key.state}: wait until it is Enabled.`,
                  },
                ],
          },
        );
      }
      const chain = keyPolicyAndRole(snapshot, key, results, scope);
      if (!chain.ok) return chain.result;
      const { role: roleInfo, resources } = chain;
      try {
        const org = checkWithOrganization(
          snapshot,
          kmsRequests(
            roleInfo,
            key,
            ['kms:Decrypt'],
            {
              bucket: src.name,
              region: src.region,
              rule,
              bucketKeyEnabled: encryption.value.bucketKeyEnabled,
            },
            'ReplGuardReplicationSourceDecrypt',
          ),
          { scp: true, rcp: true },
        );
        const { checks } = org;
        const withDetails = { ...scope, resources, details: { ...verdictDetails(checks), ...org.details } };
        if (deniedOf(checks).length > 0)
          return results.nonCompliant(
            `Replication role ${roleInfo.name} may not decrypt objects of ${src.name} with source key ${key.keyArn} (rule ${rule.id} to ${rule.destination.bucket}${
              encryption.value.bucketKeyEnabled
                ? '; the source uses Bucket Keys, so the encryption context is the bucket ARN'
                : ''
            }): ${describeDenials(checks)}. S3 cannot read the KMS-encrypted objects to replicate them.${org.note}`,
            `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
            { ...withDetails, resources: causeResources(checks, resources), changes: changesOf(checks) },
          );
        return results.compliant(
          `Replication role ${roleInfo.name} may kms:Decrypt objects of ${src.name} with ${key.keyArn} through S3 in ${src.region} (rule ${rule.id}).${org.note}`,
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
