import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { kmsEncryptedObjectsReplicated } from '../../../shared/rules/kms_encrypted_objects_replicated.js';
import { kmsReplicaKeyConfigured } from '../../../shared/rules/kms_replica_key_configured.js';
import {
  denied,
  DST_BUCKET,
  DST_KEY_ARN,
  firstRule,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_KEY_ARN,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  type Case,
  outcomes,
  rulesOf,
} from './secondDestination.js';

const sourceEncryption = (algorithm: string | null) => (s: Parameters<Case[1]>[0]) =>
  void (s.source.encryption = known(
    algorithm ? { algorithm, kmsKeyId: SRC_KEY_ARN, bucketKeyEnabled: true } : null,
  ));

describe('kms_encrypted_objects_replicated', () => {
  it.each<Case>([
    ['SSE-KMS source, rule includes KMS objects', () => {}, 'COMPLIANT', /SSE-KMS objects of phi-prod/],
    [
      'SSE-KMS source, rule without SseKmsEncryptedObjects',
      (s) => void delete firstRule(s).sseKmsEncryptedObjects,
      'NON_COMPLIANT',
      /silently skips every SSE-KMS object/,
    ],
    [
      'SSE-KMS source, SseKmsEncryptedObjects Disabled',
      (s) => void (firstRule(s).sseKmsEncryptedObjects = 'Disabled'),
      'NON_COMPLIANT',
    ],
    [
      'DSSE-KMS source, rule without SseKmsEncryptedObjects',
      (s) => {
        sourceEncryption('aws:kms:dsse')(s);
        delete firstRule(s).sseKmsEncryptedObjects;
      },
      'NON_COMPLIANT',
      /DSSE-KMS/,
    ],
    [
      'SSE-S3 source without SseKmsEncryptedObjects',
      (s) => {
        sourceEncryption('AES256')(s);
        delete firstRule(s).sseKmsEncryptedObjects;
      },
      'NOT_APPLICABLE',
      /AES256/,
    ],
    ['source without default encryption', sourceEncryption(null), 'NOT_APPLICABLE'],
    [
      'unreadable source encryption',
      (s) => void (s.source.encryption = denied('s3:GetEncryptionConfiguration')),
      'UNKNOWN',
      /s3:GetEncryptionConfiguration/,
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = kmsEncryptedObjectsReplicated.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('enables SseKmsEncryptedObjects on that rule of the source replication configuration', () => {
    const [result] = kmsEncryptedObjectsReplicated.evaluate(
      variant((s) => void delete firstRule(s).sseKmsEncryptedObjects),
    );
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain(`Enable SseKmsEncryptedObjects on rule ${RULE_ID}`);
    expect(result?.remediation).toContain('kms:Decrypt');
    expect(result?.remediation).toContain('S3 Batch Replication (filter ObjectReplicationStatuses NONE)');
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, sseKmsEncryptedObjects: 'Enabled' }],
      },
    ]);
  });

  it("leaves the replica key to kms_replica_key_configured, which then suggests the destination's default key", () => {
    const snapshot = variant((s) => {
      delete firstRule(s).sseKmsEncryptedObjects;
      delete firstRule(s).destination.replicaKmsKeyId;
    });
    const [result] = kmsEncryptedObjectsReplicated.evaluate(snapshot);
    expect(result?.remediation).toContain(
      'with a replica key at the destination (kms_replica_key_configured)',
    );
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, sseKmsEncryptedObjects: 'Enabled' }],
      },
    ]);
    // Once the patch is applied (the fix planner judges again), kms_replica_key_configured names the key.
    const [next] = kmsReplicaKeyConfigured.evaluate(
      variant((s) => void (firstRule(s).sseKmsEncryptedObjects = 'Enabled'), snapshot),
    );
    expect(next?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, replicaKmsKeyId: DST_KEY_ARN }],
      },
    ]);
  });

  it('flags only the rule that lacks it when several rules have prefixes and priorities', () => {
    const results = kmsEncryptedObjectsReplicated.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const archive = rulesOf(s)[1];
        if (archive) delete archive.sseKmsEncryptedObjects;
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
    ]);
    expect(results[0]?.changes).toBeUndefined();
    expect(results[1]?.remediation).toContain(`rule ${ARCHIVE_RULE}`);
    // Only the archive rule is patched; keeping phi-to-dr and the filters is the fix planner's merge.
    expect(results[1]?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: ARCHIVE_RULE, sseKmsEncryptedObjects: 'Enabled' }],
      },
    ]);
  });
});
