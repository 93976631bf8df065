import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { kmsSourceDecryptAllowed } from '../../../shared/rules/kms_source_decrypt_allowed.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  denied,
  DST_BUCKET,
  firstRule,
  type MutableSnapshot,
  ROLE_ARN,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_BUCKET,
  SRC_KEY_ARN,
  variant,
} from '../../fixtures/snapshots.js';
import {
  evaluateOne,
  healthyStatements,
  keyIn,
  setRoleStatements,
  type Statement,
  statementsWithout,
} from '../policy/snapshotChanges.js';

const SRC_KEY_ID = '1111aaaa-0000-4000-8000-000000000001';
const SRC_ARN = `arn:aws:s3:::${SRC_BUCKET}`;
const keyPolicy =
  (...statements: Statement[]) =>
  (s: MutableSnapshot) =>
    void (keyIn(s).policy = known({ Version: '2012-10-17', Statement: statements }));
const decryptWith = (condition: Record<string, unknown> | undefined) => (s: MutableSnapshot) =>
  setRoleStatements(s, [
    ...healthyStatements().filter((st) => st.Action !== 'kms:Decrypt'),
    {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: SRC_KEY_ARN,
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
const viaS3 = (region: string, arns: string | string[]) => ({
  StringLike: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': arns },
});
const bucketKeys = (s: MutableSnapshot) =>
  void (s.source.encryption = known({ algorithm: 'aws:kms', kmsKeyId: SRC_KEY_ARN, bucketKeyEnabled: true }));

describe('kms_source_decrypt_allowed', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    [
      'the healthy path (key policy delegating to the account)',
      () => undefined,
      'COMPLIANT',
      /may kms:Decrypt objects of phi-prod with .*1111aaaa.* through S3 in us-east-1/,
    ],
    [
      'a key policy naming the role, no identity grant (same account)',
      (s) => {
        setRoleStatements(s, statementsWithout('kms:Decrypt'));
        keyPolicy({
          Sid: 'ReplicationRole',
          Effect: 'Allow',
          Principal: { AWS: ROLE_ARN },
          Action: 'kms:Decrypt',
          Resource: '*',
        })(s);
      },
      'COMPLIANT',
      /may kms:Decrypt/,
    ],
    ['an unconditioned identity grant', decryptWith(undefined), 'COMPLIANT', /may kms:Decrypt/],
    [
      'Bucket Keys on, a condition listing the bucket ARN too',
      (s) => {
        bucketKeys(s);
        decryptWith(viaS3('us-east-1', [SRC_ARN, `${SRC_ARN}/*`]))(s);
      },
      'COMPLIANT',
      /may kms:Decrypt/,
    ],
    [
      'the source key given by key id',
      (s) =>
        void (s.source.encryption = known({
          algorithm: 'aws:kms',
          kmsKeyId: SRC_KEY_ID,
          bucketKeyEnabled: false,
        })),
      'COMPLIANT',
      /may kms:Decrypt/,
    ],
    [
      'Bucket Keys on, the condition lists object ARNs only',
      bucketKeys,
      'NON_COMPLIANT',
      /may not decrypt objects of phi-prod with source key .* \(rule phi-to-dr to phi-dr; the source uses Bucket Keys, so the encryption context is the bucket ARN\): kms:Decrypt on .*: not granted by the identity policies of role phi-replication \(implicit deny\)/,
    ],
    [
      'kms:ViaService in another Region',
      decryptWith(viaS3('us-west-2', `${SRC_ARN}/*`)),
      'NON_COMPLIANT',
      /not granted by the identity policies/,
    ],
    [
      'an encryption context of another bucket',
      decryptWith(viaS3('us-east-1', 'arn:aws:s3:::phi-other/*')),
      'NON_COMPLIANT',
      /not granted by the identity policies/,
    ],
    [
      'no identity grant',
      (s) => setRoleStatements(s, statementsWithout('kms:Decrypt')),
      'NON_COMPLIANT',
      /not granted by the identity policies/,
    ],
    [
      'a key policy granting neither the role nor the account',
      keyPolicy({
        Sid: 'Admins',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${SRC_ACCOUNT}:role/key-admin` },
        Action: 'kms:*',
        Resource: '*',
      }),
      'NON_COMPLIANT',
      /not granted by the key policy of arn:aws:kms:us-east-1:111111111111:key\/1111aaaa/,
    ],
    [
      'a key policy denying decryption through S3',
      keyPolicy(
        {
          Sid: 'EnableIAMUserPermissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${SRC_ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'NoS3',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringLike: { 'kms:ViaService': 's3.*' } },
        },
      ),
      'NON_COMPLIANT',
      /explicitly denied by the key policy .*NoS3/,
    ],
    [
      'a Disabled key',
      (s) => void (keyIn(s).state = 'Disabled'),
      'NON_COMPLIANT',
      /is Disabled.*SrcKmsKeyInvalidState/,
    ],
    [
      'a key pending deletion',
      (s) => void (keyIn(s).state = 'PendingDeletion'),
      'NON_COMPLIANT',
      /PendingDeletion/,
    ],
    [
      'a key that does not exist',
      (s) => void (s.keys[SRC_KEY_ARN] = known(null)),
      'NON_COMPLIANT',
      /does not exist/,
    ],
    [
      'SSE-S3 source, rule not opting in KMS objects',
      (s) => {
        s.source.encryption = known({ algorithm: 'AES256', bucketKeyEnabled: false });
        delete firstRule(s).sseKmsEncryptedObjects;
      },
      'NOT_APPLICABLE',
      /not default-encrypted with KMS/,
    ],
    [
      'SSE-S3 source, rule opting in KMS objects (no default key to check)',
      (s) => void (s.source.encryption = known({ algorithm: 'AES256', bucketKeyEnabled: false })),
      'NOT_APPLICABLE',
      /no default KMS key/,
    ],
    ['a missing role', (s) => void (s.roles[ROLE_ARN] = known(null)), 'NOT_APPLICABLE', /role_trusts_s3/],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(kmsSourceDecryptAllowed, variant(change));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result.message).toMatch(message);
  });

  it('with Bucket Keys, proposes a condition that includes the bucket ARN', () => {
    const result = evaluateOne(kmsSourceDecryptAllowed, variant(bucketKeys));
    expect(result.remediation).toContain(
      `Add to the inline policies of role phi-replication (account ${SRC_ACCOUNT}): {"Sid":"ReplGuardReplicationSourceDecrypt","Effect":"Allow","Action":["kms:Decrypt"],"Resource":"${SRC_KEY_ARN}","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"},"StringLike":{"kms:EncryptionContext:aws:s3:arn":["${SRC_ARN}","${SRC_ARN}/*"]}}}`,
    );
    expect(result.resources).toEqual([
      { type: 'AwsIamRole', id: ROLE_ARN },
      { type: 'AwsKmsKey', id: SRC_KEY_ARN },
    ]);
    expect(result.details?.verdicts).toEqual([
      expect.objectContaining({ action: 'kms:Decrypt', deniedBy: 'identity', denial: 'implicit' }),
    ]);
  });

  it('when the key policy is in the way, adds the role to the key policy, conditioned as S3 calls it', () => {
    const result = evaluateOne(
      kmsSourceDecryptAllowed,
      variant(
        keyPolicy({
          Sid: 'Admins',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${SRC_ACCOUNT}:role/key-admin` },
          Action: 'kms:*',
          Resource: '*',
        }),
      ),
    );
    expect(result.remediation).toContain(
      `Add to the key policy of ${SRC_KEY_ARN}: {"Sid":"ReplGuardReplicationSourceDecrypt","Effect":"Allow","Principal":{"AWS":"${ROLE_ARN}"}`,
    );
    expect(result.remediation).toContain('S3 Batch Replication');
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: { kind: 'key-policy', keyArn: SRC_KEY_ARN, accountId: SRC_ACCOUNT, region: 'us-east-1' },
        add: [
          {
            Sid: 'ReplGuardReplicationSourceDecrypt',
            Effect: 'Allow',
            Principal: { AWS: ROLE_ARN },
            Action: ['kms:Decrypt'],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${SRC_ARN}/*` },
            },
          },
        ],
      },
    ]);
  });

  it.each<[string, (s: MutableSnapshot) => void, string]>([
    [
      'the key policy cannot be read',
      (s) => void (keyIn(s).policy = denied('kms:GetKeyPolicy')),
      'kms:GetKeyPolicy',
    ],
    ['the key was not read', (s) => void delete s.keys[SRC_KEY_ARN], 'kms:DescribeKey'],
    [
      'the default encryption cannot be read',
      (s) => void (s.source.encryption = denied('s3:GetEncryptionConfiguration')),
      's3:GetEncryptionConfiguration',
    ],
    [
      'the role cannot be read',
      (s) => void (s.roles[ROLE_ARN] = denied('iam:GetRolePolicy')),
      'iam:GetRolePolicy',
    ],
  ])('is UNKNOWN when %s', (_name, change, permission) => {
    const result = evaluateOne(kmsSourceDecryptAllowed, variant(change));
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain(permission);
  });
});
