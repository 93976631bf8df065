import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { kmsEncryptedObjectsReplicated } from '../../../shared/rules/kms_encrypted_objects_replicated.js';
import {
  denied,
  DST_BUCKET,
  DST_KEY_ARN,
  firstRule,
  RULE_ID,
  SRC_KEY_ARN,
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

  it('gives the configuration with SseKmsEncryptedObjects and the replica key added to that rule', () => {
    const [result] = kmsEncryptedObjectsReplicated.evaluate(
      variant((s) => void delete firstRule(s).sseKmsEncryptedObjects),
    );
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain('put-bucket-replication --bucket phi-prod');
    expect(result?.remediation).toContain(
      '"SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}}',
    );
    expect(result?.remediation).toContain(`"ReplicaKmsKeyID":"${DST_KEY_ARN}"`);
  });

  it("suggests the destination's default key when the rule names none", () => {
    const [result] = kmsEncryptedObjectsReplicated.evaluate(
      variant((s) => {
        delete firstRule(s).sseKmsEncryptedObjects;
        delete firstRule(s).destination.replicaKmsKeyId;
      }),
    );
    expect(result?.remediation).toContain(`"ReplicaKmsKeyID":"${DST_KEY_ARN}"`);
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
    const fix = results[1]?.remediation ?? '';
    expect(fix).toContain(
      '"ID":"archive-to-eu","Priority":2,"Status":"Enabled","Filter":{"Prefix":"archive/"}',
    );
    expect(fix).toContain('"ID":"phi-to-dr","Priority":1');
  });
});
