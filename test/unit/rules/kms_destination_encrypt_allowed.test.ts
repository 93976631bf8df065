import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { kmsDestinationEncryptAllowed } from '../../../shared/rules/kms_destination_encrypt_allowed.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_KEY_ARN,
  DST_REGION,
  firstRule,
  type MutableSnapshot,
  ROLE_ARN,
  RULE_ID,
  variant,
} from '../../fixtures/snapshots.js';
import {
  destinationIn,
  destinationKeyIn,
  evaluateOne,
  healthyStatements,
  setRoleStatements,
  type Statement,
  statementsWithout,
} from '../policy/snapshotChanges.js';
import {
  ARCHIVE_BUCKET,
  ARCHIVE_KEY_ARN,
  ARCHIVE_RULE,
  addSecondDestination,
  outcomes,
} from './secondDestination.js';

const DST_KEY_ID = '2222bbbb-0000-4000-8000-000000000002';
const DST_ALIAS_ARN = `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:alias/phi-dr`;
const rootOf = (account: string) => ({
  Sid: 'EnableIAMUserPermissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});
const keyPolicy =
  (...statements: Statement[]) =>
  (s: MutableSnapshot) =>
    void (destinationKeyIn(s).policy = known({ Version: '2012-10-17', Statement: statements }));
const encryptWith =
  (arns: string | string[], region = DST_REGION) =>
  (s: MutableSnapshot) =>
    setRoleStatements(s, [
      ...healthyStatements().filter((st) => st.Resource !== DST_KEY_ARN),
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: DST_KEY_ARN,
        Condition: {
          StringLike: {
            'kms:ViaService': `s3.${region}.amazonaws.com`,
            'kms:EncryptionContext:aws:s3:arn': arns,
          },
        },
      },
    ]);
const destinationBucketKeys = (s: MutableSnapshot) =>
  void (destinationIn(s).encryption = known({
    algorithm: 'aws:kms',
    kmsKeyId: DST_KEY_ARN,
    bucketKeyEnabled: true,
  }));

describe('kms_destination_encrypt_allowed', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    [
      'the healthy cross-account path',
      () => undefined,
      'COMPLIANT',
      /may kms:Encrypt and kms:GenerateDataKey with .*2222bbbb.* through S3 in us-west-2 for replicas in phi-dr/,
    ],
    [
      'ReplicaKmsKeyID given as an alias ARN',
      (s) => {
        firstRule(s).destination.replicaKmsKeyId = DST_ALIAS_ARN;
        s.keys[DST_ALIAS_ARN] = structuredClone(s.keys[DST_KEY_ARN] ?? known(null));
      },
      'COMPLIANT',
      /may kms:Encrypt/,
    ],
    [
      'ReplicaKmsKeyID given as a key id',
      (s) => void (firstRule(s).destination.replicaKmsKeyId = DST_KEY_ID),
      'COMPLIANT',
      /may kms:Encrypt/,
    ],
    [
      'destination Bucket Keys, a condition listing the bucket ARN',
      (s) => {
        destinationBucketKeys(s);
        encryptWith([DST_ARN, `${DST_ARN}/*`])(s);
      },
      'COMPLIANT',
      /may kms:Encrypt/,
    ],
    [
      'destination Bucket Keys, the condition lists object ARNs only',
      destinationBucketKeys,
      'NON_COMPLIANT',
      /may not encrypt replicas in phi-dr with replica key .* \(rule phi-to-dr from phi-prod; the destination uses Bucket Keys, so the encryption context is the bucket ARN\): kms:Encrypt, kms:GenerateDataKey on .*not granted by the identity policies of role phi-replication \(implicit deny\).*DstPutObjectNotPermitted/,
    ],
    [
      'kms:ViaService of the source Region',
      encryptWith(`${DST_ARN}/*`, 'us-east-1'),
      'NON_COMPLIANT',
      /not granted by the identity policies/,
    ],
    [
      'no kms:GenerateDataKey in the role policy',
      (s) => setRoleStatements(s, statementsWithout('kms:GenerateDataKey')),
      'NON_COMPLIANT',
      /: kms:GenerateDataKey on arn:aws:kms:us-west-2:222222222222:key\/2222bbbb/,
    ],
    [
      'a key policy that only delegates to its own account',
      keyPolicy(rootOf(DST_ACCOUNT)),
      'NON_COMPLIANT',
      /kms:Encrypt, kms:GenerateDataKey on .*: not granted by the key policy of arn:aws:kms:us-west-2:222222222222:key\/2222bbbb/,
    ],
    [
      'a key policy trusting the source account root',
      keyPolicy(rootOf(DST_ACCOUNT), {
        ...rootOf('111111111111'),
        Sid: 'SourceAccount',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      }),
      'COMPLIANT',
      /may kms:Encrypt/,
    ],
    [
      'no ReplicaKmsKeyID',
      (s) => void delete firstRule(s).destination.replicaKmsKeyId,
      'NOT_APPLICABLE',
      /names no ReplicaKmsKeyID/,
    ],
    [
      'a Disabled replica key',
      (s) => void (destinationKeyIn(s).state = 'Disabled'),
      'NOT_APPLICABLE',
      /kms_replica_key_configured/,
    ],
    [
      'a replica key that does not exist',
      (s) => void (s.keys[DST_KEY_ARN] = known(null)),
      'NOT_APPLICABLE',
      /does not exist/,
    ],
    ['a missing role', (s) => void (s.roles[ROLE_ARN] = known(null)), 'NOT_APPLICABLE', /role_trusts_s3/],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(kmsDestinationEncryptAllowed, variant(change));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result.message).toMatch(message);
  });

  it('asks the destination account to name the role in the key policy, conditioned as S3 calls it', () => {
    const result = evaluateOne(kmsDestinationEncryptAllowed, variant(keyPolicy(rootOf(DST_ACCOUNT))));
    const statement = (action: string | string[]) => ({
      Sid: 'ReplGuardReplicationReplicaEncrypt',
      Effect: 'Allow',
      Principal: { AWS: ROLE_ARN },
      Action: action,
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${DST_ARN}/*` },
      },
    });
    expect(result.remediation).toContain(
      `Add to the key policy of ${DST_KEY_ARN}: ${JSON.stringify(statement(['kms:Encrypt', 'kms:GenerateDataKey']))}`,
    );
    expect(result.remediation).toContain('S3 Batch Replication');
    // One change per denied action, in the key policy of the destination account's key and Region.
    const holder = { kind: 'key-policy', keyArn: DST_KEY_ARN, accountId: DST_ACCOUNT, region: DST_REGION };
    expect(result.changes).toEqual([
      { kind: 'policy', holder, add: [statement(['kms:Encrypt'])] },
      { kind: 'policy', holder, add: [statement(['kms:GenerateDataKey'])] },
    ]);
    expect(result.resources).toEqual([
      { type: 'AwsIamRole', id: ROLE_ARN },
      { type: 'AwsKmsKey', id: DST_KEY_ARN },
    ]);
  });

  it('proposes no key-policy change for an AWS managed replica key, only another key', () => {
    const result = evaluateOne(
      kmsDestinationEncryptAllowed,
      variant((s) => {
        keyPolicy(rootOf(DST_ACCOUNT))(s);
        destinationKeyIn(s).manager = 'AWS';
      }),
    );
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.remediation).toContain(
      `An AWS managed key's policy cannot be changed: point rule ${RULE_ID} at a customer managed key`,
    );
    expect(result.changes).toBeUndefined();
  });

  it('checks each destination with its own key, Region and prefix', () => {
    const snapshot = variant(addSecondDestination);
    const results = kmsDestinationEncryptAllowed.evaluate(snapshot);
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
    ]);
    expect(results[1]?.message).toContain(ARCHIVE_KEY_ARN);
    expect(results[1]?.remediation).toContain('"kms:ViaService":"s3.eu-west-1.amazonaws.com"');
    expect(results[1]?.remediation).toContain(
      '"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::phi-archive/archive/*"',
    );
  });

  it.each<[string, (s: MutableSnapshot) => void, string]>([
    [
      'the key policy cannot be read',
      (s) => void (destinationKeyIn(s).policy = denied('kms:GetKeyPolicy')),
      'kms:GetKeyPolicy',
    ],
    ['the replica key was not read', (s) => void delete s.keys[DST_KEY_ARN], 'kms:DescribeKey'],
    [
      'the destination Region cannot be read',
      (s) => void (destinationIn(s).region = denied('s3:GetBucketLocation')),
      's3:GetBucketLocation',
    ],
    [
      'the destination encryption cannot be read',
      (s) => void (destinationIn(s).encryption = denied('s3:GetEncryptionConfiguration')),
      's3:GetEncryptionConfiguration',
    ],
  ])('is UNKNOWN when %s', (_name, change, permission) => {
    const result = evaluateOne(kmsDestinationEncryptAllowed, variant(change));
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain(permission);
  });
});

describe('kms_destination_encrypt_allowed with a replica key S3 cannot use', () => {
  it('defers to kms_replica_key_configured when the key is in another Region than the destination', () => {
    const elsewhere = `arn:aws:kms:eu-central-1:${DST_ACCOUNT}:key/3333cccc-0000-4000-8000-000000000003`;
    const snapshot = variant((s) => {
      firstRule(s).destination.replicaKmsKeyId = elsewhere;
      const healthy = s.keys[DST_KEY_ARN];
      if (healthy?.known && healthy.value)
        s.keys[elsewhere] = known({
          ...healthy.value,
          ref: elsewhere,
          keyArn: elsewhere,
          region: 'eu-central-1',
        });
    });
    const [result] = kmsDestinationEncryptAllowed.evaluate(snapshot);
    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
    });
    expect(result?.message).toContain(`is in eu-central-1, not in ${DST_REGION}`);
  });
});
