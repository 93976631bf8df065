import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { destinationPolicyAllowsRole } from '../../../shared/rules/destination_policy_allows_role.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  destinationBucketPolicy,
  firstRule,
  type MutableSnapshot,
  ROLE_ARN,
  RULE_ID,
  SRC_ACCOUNT,
  tlsOnlyStatement,
  variant,
} from '../../fixtures/snapshots.js';
import { destinationIn, evaluateOne, type Statement } from '../policy/snapshotChanges.js';
import {
  ARCHIVE_ARN,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  addSecondDestination,
  outcomes,
} from './secondDestination.js';

const OBJECTS = `${DST_ARN}/*`;
const bucketPolicy =
  (...statements: Statement[]) =>
  (s: MutableSnapshot) =>
    void (destinationIn(s).policy = known({
      Version: '2012-10-17',
      Statement: [tlsOnlyStatement(DST_BUCKET), ...statements],
    }));
const grantTo = (principal: unknown, actions: string | string[]) => ({
  Sid: 'AllowReplication',
  Effect: 'Allow',
  Principal: principal,
  Action: actions,
  Resource: OBJECTS,
});
const ALL = [
  's3:ReplicateObject',
  's3:ReplicateDelete',
  's3:ReplicateTags',
  's3:ObjectOwnerOverrideToBucketOwner',
];
const sameAccount = (s: MutableSnapshot) => {
  destinationIn(s).accountId = SRC_ACCOUNT;
  delete firstRule(s).destination.account;
  delete firstRule(s).destination.accessControlTranslationOwner;
};

describe('destination_policy_allows_role', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    [
      'the healthy cross-account policy',
      () => undefined,
      'COMPLIANT',
      /bucket policy of phi-dr \(account 222222222222\) grants replication role phi-replication/,
    ],
    [
      'a grant with s3:Replicate*',
      bucketPolicy(grantTo({ AWS: ROLE_ARN }, ['s3:Replicate*', 's3:ObjectOwnerOverrideToBucketOwner'])),
      'COMPLIANT',
      /grants/,
    ],
    [
      'a grant to the source account root',
      bucketPolicy(grantTo({ AWS: `arn:aws:iam::${SRC_ACCOUNT}:root` }, ALL)),
      'COMPLIANT',
      /grants/,
    ],
    [
      'a grant to the source account id',
      bucketPolicy(grantTo({ AWS: SRC_ACCOUNT }, ALL)),
      'COMPLIANT',
      /grants/,
    ],
    [
      'cross-account without a bucket policy',
      (s) => void (destinationIn(s).policy = known(null)),
      'NON_COMPLIANT',
      /Destination phi-dr is in account 222222222222, another account than replication role phi-replication, so its bucket policy must grant the role; but s3:ReplicateObject, s3:ReplicateTags, s3:ReplicateDelete, s3:ObjectOwnerOverrideToBucketOwner on arn:aws:s3:::phi-dr\/replguard-sample-object: not granted: phi-dr has no bucket policy/,
    ],
    [
      'cross-account, the owner-override action missing from the grant',
      bucketPolicy(
        grantTo({ AWS: ROLE_ARN }, ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags']),
      ),
      'NON_COMPLIANT',
      /s3:ObjectOwnerOverrideToBucketOwner on .*not granted by the bucket policy of phi-dr \(implicit deny\).*DstPutObjectNotPermitted/,
    ],
    [
      'cross-account, the grant names another role',
      bucketPolicy(grantTo({ AWS: `arn:aws:iam::${SRC_ACCOUNT}:role/other` }, ALL)),
      'NON_COMPLIANT',
      /not granted by the bucket policy of phi-dr/,
    ],
    [
      'an explicit deny of deletes next to the grant',
      (s) =>
        void (destinationIn(s).policy = known({
          ...destinationBucketPolicy,
          Statement: [
            ...destinationBucketPolicy.Statement,
            {
              Sid: 'NoDeletes',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:ReplicateDelete',
              Resource: OBJECTS,
            },
          ],
        })),
      'NON_COMPLIANT',
      /s3:ReplicateDelete on .*explicitly denied by the bucket policy of phi-dr \(bucket policy of phi-dr: NoDeletes\)/,
    ],
    [
      'same account without a bucket policy',
      (s) => {
        sameAccount(s);
        destinationIn(s).policy = known(null);
      },
      'COMPLIANT',
      /in the role's account: IAM grants suffice/,
    ],
    [
      'same account with a TLS-only policy',
      (s) => {
        sameAccount(s);
        bucketPolicy()(s);
      },
      'COMPLIANT',
      /denies none/,
    ],
    [
      'same account with an explicit deny',
      (s) => {
        sameAccount(s);
        bucketPolicy({
          Sid: 'Frozen',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:Replicate*',
          Resource: OBJECTS,
        })(s);
      },
      'NON_COMPLIANT',
      /At destination phi-dr, s3:ReplicateObject, s3:ReplicateTags, s3:ReplicateDelete on .*explicitly denied/,
    ],
    [
      'a destination that does not exist',
      (s) => void (destinationIn(s).exists = known(false)),
      'NOT_APPLICABLE',
      /does not exist/,
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(destinationPolicyAllowsRole, variant(change));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result.message).toMatch(message);
  });

  it('gives the bucket-policy statement for the role, as a change adding it to the policy of phi-dr', () => {
    const result = evaluateOne(destinationPolicyAllowsRole, variant(bucketPolicy()));
    const actions = [
      's3:ReplicateObject',
      's3:ReplicateTags',
      's3:ReplicateDelete',
      's3:ObjectOwnerOverrideToBucketOwner',
    ];
    const statement = (action: string | string[]) => ({
      Sid: 'ReplGuardReplicationDestinationObjects',
      Effect: 'Allow',
      Principal: { AWS: ROLE_ARN },
      Action: action,
      Resource: 'arn:aws:s3:::phi-dr/*',
    });
    expect(result.remediation).toContain(
      `Add to the bucket policy of phi-dr (account ${DST_ACCOUNT}): ${JSON.stringify(statement(actions))}`,
    );
    expect(result.remediation).toContain('S3 Batch Replication');
    expect(result.remediation).not.toContain('aws s3api');
    // One change per denied action, all under the same Sid: the fix planner merges them into one statement.
    expect(result.changes).toEqual(
      actions.map((action) => ({
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: DST_BUCKET, accountId: DST_ACCOUNT },
        add: [statement([action])],
      })),
    );
    expect(result.resources).toEqual([{ type: 'AwsS3Bucket', id: DST_ARN }]);
    expect(result.details).toMatchObject({ crossAccount: true });
  });

  it('exempts the role from an explicit deny in the destination bucket policy', () => {
    const result = evaluateOne(
      destinationPolicyAllowsRole,
      variant(
        (s) =>
          void (destinationIn(s).policy = known({
            ...destinationBucketPolicy,
            Statement: [
              ...destinationBucketPolicy.Statement,
              {
                Sid: 'NoDeletes',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:ReplicateDelete',
                Resource: OBJECTS,
              },
            ],
          })),
      ),
    );
    expect(result.remediation).toContain('NoDeletes');
    expect(result.remediation).toContain('the bucket policy of phi-dr');
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: DST_BUCKET, accountId: DST_ACCOUNT },
        exempt: [{ statement: 'NoDeletes', principalArn: ROLE_ARN }],
      },
    ]);
  });

  it('judges a same-account second destination with no grant as compliant, next to the cross-account one', () => {
    const results = destinationPolicyAllowsRole.evaluate(
      variant((s) => {
        addSecondDestination(s);
        destinationIn(s, ARCHIVE_ARN).policy = known(null);
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
  });

  it('is not fooled by the archive policy denying everything without TLS (BoolIfExists, JSON false)', () => {
    expect(
      outcomes(destinationPolicyAllowsRole.evaluate(variant(addSecondDestination))).map((o) => o[2]),
    ).toEqual(['COMPLIANT', 'COMPLIANT']);
  });

  it('needs only the role ARN: an unreadable role does not stop it', () => {
    const result = evaluateOne(
      destinationPolicyAllowsRole,
      variant((s) => void (s.roles[ROLE_ARN] = denied('iam:GetRole'))),
    );
    expect(result.status).toBe('COMPLIANT');
  });

  it('is UNKNOWN, naming the permission, when the bucket policy cannot be read', () => {
    const result = evaluateOne(
      destinationPolicyAllowsRole,
      variant((s) => void (destinationIn(s).policy = denied('s3:GetBucketPolicy'))),
    );
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain('s3:GetBucketPolicy');
  });
});
