/** Failure modes of SSE-KMS replication: the keys, their policies, and the rule's KMS settings. */
import type { ReplicationRule as ApiRule } from '@aws-sdk/client-s3';
import { withoutActions, withoutStatements } from '../builder.js';
import { keyPolicy } from '../builder/policies.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

/** The rule's ReplicaKmsKeyID replaced (`undefined` removes the whole EncryptionConfiguration). */
const replicaKeyId =
  (make: (current: string) => string | undefined) =>
  (rule: ApiRule): ApiRule => {
    const current = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID ?? '';
    const next = make(current);
    return {
      ...rule,
      ...(rule.Destination
        ? {
            Destination: {
              ...rule.Destination,
              EncryptionConfiguration: next === undefined ? undefined : { ReplicaKmsKeyID: next },
            },
          }
        : {}),
    };
  };

export const kmsScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'kms-no-decrypt',
    description:
      'The replication role may not kms:Decrypt with the source key: KMS-encrypted PHI is never replicated',
    kind: 'failure',
    build: pair({ rolePolicy: (p) => withoutActions(p, 'kms:Decrypt') }),
    expect: {
      nonCompliant: ['kms_source_decrypt_allowed'],
      mentions: { kms_source_decrypt_allowed: 'kms:Decrypt' },
    },
  }),
  defineScenario({
    name: 'kms-role-no-encrypt',
    description:
      "The role's policy lacks kms:Encrypt and kms:GenerateDataKey on the replica key (DstPutObjectNotPermitted)",
    kind: 'failure',
    build: pair({ rolePolicy: (p) => withoutActions(p, 'kms:Encrypt', 'kms:GenerateDataKey') }),
    expect: {
      nonCompliant: ['kms_destination_encrypt_allowed'],
      mentions: { kms_destination_encrypt_allowed: 'kms:Encrypt' },
    },
  }),
  defineScenario({
    name: 'kms-key-policy-no-role',
    description: "The DR account's replica key policy does not name the source account's replication role",
    kind: 'failure',
    build: pair({ replicaKeyPolicy: (p) => withoutStatements(p, 'AllowSourceReplicationRole') }),
    expect: {
      nonCompliant: ['kms_destination_encrypt_allowed'],
      mentions: { kms_destination_encrypt_allowed: 'kms:Encrypt' },
    },
  }),
  defineScenario({
    name: 'kms-objects-not-opted-in',
    description:
      'The rule does not set SseKmsEncryptedObjects: S3 silently skips every SSE-KMS object, no failure event',
    kind: 'failure',
    build: pair({ rule: (r) => ({ ...r, SourceSelectionCriteria: undefined }) }),
    expect: {
      nonCompliant: ['kms_encrypted_objects_replicated'],
      mentions: { kms_encrypted_objects_replicated: 'SseKmsEncryptedObjects' },
    },
  }),
  defineScenario({
    name: 'kms-no-replica-key',
    description:
      'The rule replicates SSE-KMS objects but names no ReplicaKmsKeyID to encrypt the replicas with',
    kind: 'failure',
    build: pair({ rule: replicaKeyId(() => undefined) }),
    expect: {
      nonCompliant: ['kms_replica_key_configured'],
      mentions: { kms_replica_key_configured: 'ReplicaKmsKeyID' },
    },
  }),
  defineScenario({
    name: 'kms-replica-key-disabled',
    description: 'The replica key was disabled: replication of KMS objects fails with DstKmsKeyInvalidState',
    kind: 'failure',
    build: pair({ replicaKeyState: 'Disabled' }),
    expect: {
      nonCompliant: ['kms_replica_key_configured'],
      mentions: { kms_replica_key_configured: 'Disabled' },
    },
  }),
  defineScenario({
    name: 'kms-replica-key-deleting',
    description:
      'The replica key is scheduled for deletion: replicas fail now, and become unreadable when it is gone',
    kind: 'failure',
    build: pair({ replicaKeyState: 'PendingDeletion' }),
    expect: {
      nonCompliant: ['kms_replica_key_configured'],
      mentions: { kms_replica_key_configured: 'PendingDeletion' },
    },
  }),
  defineScenario({
    name: 'kms-replica-key-wrong-region',
    description: "The replica key was created in the source's Region, not the DR bucket's",
    kind: 'failure',
    build: async (env, name) => {
      const account = env.peer('dr');
      const key = await env.key({
        account,
        region: env.region,
        alias: `${name}-replica`,
        policy: keyPolicy(account, [`arn:aws:iam::${env.home}:role/${name}-replication`]),
      });
      const path = await env.replicatedPair({ name, ...HEALTHY, replicaKey: key });
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: {
      nonCompliant: ['kms_replica_key_configured'],
      mentions: { kms_replica_key_configured: 'is in us-east-1' },
    },
  }),
  defineScenario({
    name: 'kms-aws-managed-cross-acct',
    description:
      "The rule names the DR account's AWS managed aws/s3 key, which cannot be shared across accounts",
    kind: 'failure',
    build: pair({
      rule: replicaKeyId((current) => {
        const [, , , region, account] = current.split(':');
        return `arn:aws:kms:${region}:${account}:alias/aws/s3`;
      }),
    }),
    expect: {
      nonCompliant: ['kms_replica_key_configured', 'kms_destination_encrypt_allowed'],
      mentions: { kms_replica_key_configured: 'AWS managed' },
    },
  }),
];
