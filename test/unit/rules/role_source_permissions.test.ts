import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { roleSourcePermissions } from '../../../shared/rules/role_source_permissions.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  denied,
  DST_ARN,
  DST_BUCKET,
  firstRule,
  type MutableSnapshot,
  ROLE_ARN,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_BUCKET,
  tlsOnlyStatement,
  variant,
} from '../../fixtures/snapshots.js';
import {
  evaluateOne,
  healthyStatements,
  roleIn,
  setRoleStatements,
  type Statement,
  statementsWithout,
} from '../policy/snapshotChanges.js';
import { rulesOf } from './secondDestination.js';

const SRC_OBJECTS = `arn:aws:s3:::${SRC_BUCKET}/*`;
const SRC_ARN = `arn:aws:s3:::${SRC_BUCKET}`;
const withStatements = (statements: Statement[]) => (s: MutableSnapshot) => setRoleStatements(s, statements);
const sourcePolicy =
  (...statements: Statement[]) =>
  (s: MutableSnapshot) =>
    void (s.source.policy = known({
      Version: '2012-10-17',
      Statement: [tlsOnlyStatement(SRC_BUCKET), ...statements],
    }));
const noObjectLock = (s: MutableSnapshot) => void (s.source.objectLock = known({ enabled: false }));

describe('role_source_permissions', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    ['the healthy role', () => undefined, 'COMPLIANT', /may read phi-prod for rule phi-to-dr/],
    [
      's3:Get* on the objects and s3:List* on the bucket',
      withStatements([
        { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: [SRC_ARN, SRC_OBJECTS] },
        ...healthyStatements().slice(2),
      ]),
      'COMPLIANT',
      /may read/,
    ],
    [
      'the grants in a managed policy instead of an inline one',
      (s) => {
        const role = roleIn(s);
        role.managedPolicies = [
          {
            name: 'repl-managed',
            arn: 'arn:aws:iam::111111111111:policy/repl-managed',
            document: role.inlinePolicies[0]?.document ?? { Statement: [] },
          },
        ];
        role.inlinePolicies = [];
      },
      'COMPLIANT',
      /may read/,
    ],
    [
      'no s3:GetObjectVersionTagging',
      withStatements(statementsWithout('s3:GetObjectVersionTagging')),
      'NON_COMPLIANT',
      /may not read source phi-prod for rule phi-to-dr \(to phi-dr\): s3:GetObjectVersionTagging on arn:aws:s3:::phi-prod\/replguard-sample-object: not granted by the identity policies of role phi-replication \(implicit deny\).*SrcGetTaggingNotPermitted/,
    ],
    [
      'no s3:ListBucket',
      withStatements(statementsWithout('s3:ListBucket')),
      'NON_COMPLIANT',
      /s3:ListBucket on arn:aws:s3:::phi-prod: not granted/,
    ],
    [
      'Object Lock on, without s3:GetObjectRetention and s3:GetObjectLegalHold',
      withStatements(statementsWithout('s3:GetObjectRetention', 's3:GetObjectLegalHold')),
      'NON_COMPLIANT',
      /s3:GetObjectRetention, s3:GetObjectLegalHold on .*SrcGetRetentionNotPermitted, SrcGetLegalHoldNotPermitted/,
    ],
    [
      'Object Lock off, without the Object Lock reads',
      (s) => {
        noObjectLock(s);
        setRoleStatements(s, statementsWithout('s3:GetObjectRetention', 's3:GetObjectLegalHold'));
      },
      'COMPLIANT',
      /may read/,
    ],
    [
      'a source bucket policy denying the role object reads',
      sourcePolicy({
        Sid: 'DenyReads',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject*',
        Resource: SRC_OBJECTS,
        Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/phi-admin*' } },
      }),
      'NON_COMPLIANT',
      /explicitly denied by the bucket policy of phi-prod \(bucket policy of phi-prod: DenyReads\)/,
    ],
    [
      'a source bucket policy denying everyone else (the role excepted)',
      sourcePolicy({
        Sid: 'OnlyReplication',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject*',
        Resource: SRC_OBJECTS,
        Condition: {
          StringNotEquals: { 'aws:PrincipalArn': [ROLE_ARN, 'arn:aws:iam::111111111111:role/admin'] },
        },
      }),
      'COMPLIANT',
      /may read/,
    ],
    [
      'a same-account bucket-policy grant standing in for the missing identity grant',
      (s) => {
        setRoleStatements(s, statementsWithout('s3:GetObjectVersionAcl'));
        sourcePolicy({
          Sid: 'ReplicationReads',
          Effect: 'Allow',
          Principal: { AWS: ROLE_ARN },
          Action: 's3:GetObjectVersionAcl',
          Resource: SRC_OBJECTS,
        })(s);
      },
      'COMPLIANT',
      /may read/,
    ],
    [
      'a permissions boundary without the Object Lock reads',
      (s) =>
        void (roleIn(s).permissionsBoundary = {
          name: 'phi-boundary',
          arn: 'arn:aws:iam::111111111111:policy/phi-boundary',
          document: {
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  's3:GetObjectVersion*',
                  's3:GetReplicationConfiguration',
                  's3:ListBucket',
                  's3:Replicate*',
                  'kms:*',
                ],
                Resource: '*',
              },
            ],
          },
        }),
      'NON_COMPLIANT',
      /s3:GetObjectRetention, s3:GetObjectLegalHold on .*not granted by the permissions boundary phi-boundary/,
    ],
    ['a missing role', (s) => void (s.roles[ROLE_ARN] = known(null)), 'NOT_APPLICABLE', /role_trusts_s3/],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(roleSourcePermissions, variant(change));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result.message).toMatch(message);
  });

  it('gives the statement to add to the role, scoped to the source objects', () => {
    const result = evaluateOne(
      roleSourcePermissions,
      variant(withStatements(statementsWithout('s3:GetObjectVersionTagging'))),
    );
    expect(result.remediation).toContain(
      'Add to the inline policies of role phi-replication (account 111111111111): {"Sid":"ReplGuardReplicationSourceObjects","Effect":"Allow","Action":["s3:GetObjectVersionTagging"],"Resource":"arn:aws:s3:::phi-prod/*"}',
    );
    expect(result.remediation).toContain('S3 Batch Replication');
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: {
          kind: 'role-inline-policy',
          roleArn: ROLE_ARN,
          roleName: 'phi-replication',
          policyName: 'ReplGuardReplication',
          accountId: SRC_ACCOUNT,
        },
        add: [
          {
            Sid: 'ReplGuardReplicationSourceObjects',
            Effect: 'Allow',
            Action: ['s3:GetObjectVersionTagging'],
            Resource: SRC_OBJECTS,
          },
        ],
      },
    ]);
    expect(result.resources).toEqual([{ type: 'AwsIamRole', id: ROLE_ARN }]);
    expect(result.details?.verdicts).toContainEqual(
      expect.objectContaining({
        action: 's3:GetObjectVersionTagging',
        allowed: false,
        deniedBy: 'identity',
        denial: 'implicit',
      }),
    );
  });

  it('points an explicit bucket-policy deny at the statement, and the bucket', () => {
    const result = evaluateOne(
      roleSourcePermissions,
      variant(
        sourcePolicy({
          Sid: 'DenyAll',
          Effect: 'Deny',
          Principal: { AWS: ROLE_ARN },
          Action: 's3:*',
          Resource: [SRC_ARN, SRC_OBJECTS],
        }),
      ),
    );
    expect(result.remediation).toMatch(
      /^Remove or narrow bucket policy of phi-prod: DenyAll in the bucket policy of phi-prod/,
    );
    expect(result.resources).toContainEqual({ type: 'AwsS3Bucket', id: SRC_ARN });
    // The deny is narrowed to exempt the role (one change per denied action, all the same exemption).
    const exemption = {
      kind: 'policy',
      holder: { kind: 'bucket-policy', bucket: SRC_BUCKET, accountId: SRC_ACCOUNT },
      exempt: [{ statement: 'DenyAll', principalArn: ROLE_ARN }],
    };
    expect(result.changes).toContainEqual(exemption);
    for (const change of result.changes ?? []) expect(change).toEqual(exemption);
  });

  it('checks each rule on its own prefix', () => {
    const snapshot = variant((s) => {
      setRoleStatements(s, [
        { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: SRC_ARN },
        { Effect: 'Allow', Action: 's3:GetObject*', Resource: `${SRC_ARN}/records/*` },
        ...healthyStatements().slice(2),
      ]);
      firstRule(s).filter = { prefix: 'records/' };
      rulesOf(s).push({
        ...structuredClone(firstRule(s)),
        id: 'imaging',
        priority: 2,
        filter: { prefix: 'imaging/' },
        destination: { ...firstRule(s).destination, bucketArn: DST_ARN },
      });
    });
    const results = roleSourcePermissions.evaluate(snapshot);
    expect(results.map((r) => [r.replicationRuleId, r.status])).toEqual([
      [RULE_ID, 'COMPLIANT'],
      ['imaging', 'NON_COMPLIANT'],
    ]);
    expect(results[1]?.message).toContain('arn:aws:s3:::phi-prod/imaging/replguard-sample-object');
    expect(results[1]?.remediation).toContain('"Resource":"arn:aws:s3:::phi-prod/imaging/*"');
  });

  it.each<[string, (s: MutableSnapshot) => void, string]>([
    [
      'the role cannot be read',
      (s) => void (s.roles[ROLE_ARN] = denied('iam:GetRolePolicy')),
      'iam:GetRolePolicy',
    ],
    [
      'the source bucket policy cannot be read',
      (s) => void (s.source.policy = denied('s3:GetBucketPolicy')),
      's3:GetBucketPolicy',
    ],
    [
      'Object Lock cannot be read',
      (s) => void (s.source.objectLock = denied('s3:GetBucketObjectLockConfiguration')),
      's3:GetBucketObjectLockConfiguration',
    ],
  ])('is UNKNOWN when %s', (_name, change, permission) => {
    const result = evaluateOne(roleSourcePermissions, variant(change));
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain(permission);
  });

  it('is NON_COMPLIANT, not UNKNOWN, when Object Lock is unreadable but a base read is already denied', () => {
    const result = evaluateOne(
      roleSourcePermissions,
      variant((s) => {
        s.source.objectLock = denied('s3:GetBucketObjectLockConfiguration');
        setRoleStatements(s, statementsWithout('s3:GetObjectVersionAcl'));
      }),
    );
    expect(result.status).toBe('NON_COMPLIANT');
  });
});
