import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { roleTrustsS3 } from '../../../shared/rules/role_trusts_s3.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { denied, type MutableSnapshot, ROLE_ARN, SRC_ACCOUNT, variant } from '../../fixtures/snapshots.js';
import { evaluateOne, roleIn } from '../policy/snapshotChanges.js';

const s3 = { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' };
const trust =
  (...statements: Record<string, unknown>[]) =>
  (s: MutableSnapshot) =>
    void (roleIn(s).trustPolicy = { Version: '2012-10-17', Statement: statements });

describe('role_trusts_s3', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    ['the healthy role', () => undefined, 'COMPLIANT', /trusts s3\.amazonaws\.com/],
    [
      'a trust policy listing several services, S3 among them',
      trust({ ...s3, Principal: { Service: ['ec2.amazonaws.com', 's3.amazonaws.com'] } }),
      'COMPLIANT',
      /trusts/,
    ],
    ['sts:* for S3', trust({ ...s3, Action: 'sts:*' }), 'COMPLIANT', /trusts/],
    [
      'S3 trusted only for this bucket and account (confused-deputy conditions)',
      trust({
        ...s3,
        Condition: {
          StringEquals: { 'aws:SourceAccount': SRC_ACCOUNT },
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::phi-*' },
        },
      }),
      'COMPLIANT',
      /trusts/,
    ],
    [
      'S3 trusted only for another bucket',
      trust({ ...s3, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::other-bucket' } } }),
      'NON_COMPLIANT',
      /may not assume replication role phi-replication.*not granted by the trust policy.*AssumeRoleNotPermitted/,
    ],
    [
      'a trust policy for EC2 only',
      trust({ ...s3, Principal: { Service: 'ec2.amazonaws.com' } }),
      'NON_COMPLIANT',
      /s3\.amazonaws\.com may not assume.*sts:AssumeRole.*implicit deny/,
    ],
    [
      'Batch Operations trusted, S3 replication not',
      trust({ ...s3, Principal: { Service: 'batchoperations.s3.amazonaws.com' } }),
      'NON_COMPLIANT',
      /may not assume/,
    ],
    [
      'an explicit deny for S3',
      trust(s3, { ...s3, Sid: 'NoS3', Effect: 'Deny' }),
      'NON_COMPLIANT',
      /explicitly denied by the trust policy .*NoS3/,
    ],
    [
      'a role that does not exist',
      (s) => void (s.roles[ROLE_ARN] = known(null)),
      'NON_COMPLIANT',
      /does not exist/,
    ],
    [
      'no replication configuration',
      (s) => void (s.source.replication = known(null)),
      'NOT_APPLICABLE',
      /no enabled/,
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(roleTrustsS3, variant(change));
    expect(result.status).toBe(status);
    expect(result.message).toMatch(message);
    expect(result.destinationBucket).toBeNull();
    if (status !== 'NOT_APPLICABLE')
      expect(result.resources).toContainEqual({ type: 'AwsIamRole', id: ROLE_ARN });
  });

  it('gives the statement to add to the trust policy, as a change to that trust policy', () => {
    const result = evaluateOne(
      roleTrustsS3,
      variant(trust({ ...s3, Principal: { Service: 'ec2.amazonaws.com' } })),
    );
    expect(result.remediation).toContain(
      `Add to the trust policy of role phi-replication (account ${SRC_ACCOUNT}): {"Sid":"ReplGuardS3AssumeRole","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":["sts:AssumeRole"]}`,
    );
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: {
          kind: 'trust-policy',
          roleArn: ROLE_ARN,
          roleName: 'phi-replication',
          accountId: SRC_ACCOUNT,
        },
        add: [
          {
            Sid: 'ReplGuardS3AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['sts:AssumeRole'],
          },
        ],
      },
    ]);
    expect(result.details?.verdicts).toEqual([
      expect.objectContaining({ allowed: false, deniedBy: 'resource-policy', denial: 'implicit' }),
    ]);
  });

  it('leaves an explicit deny of S3 in the trust policy to a person', () => {
    const result = evaluateOne(roleTrustsS3, variant(trust(s3, { ...s3, Sid: 'NoS3', Effect: 'Deny' })));
    expect(result.remediation).toContain('Remove or narrow');
    expect(result.remediation).toContain('NoS3');
    expect(result.changes).toEqual([
      {
        kind: 'decision',
        accountId: SRC_ACCOUNT,
        text: expect.stringMatching(
          /^Statement NoS3 of the trust policy of role phi-replication .*explicitly denies sts:AssumeRole to s3\.amazonaws\.com: remove or narrow it \(ReplGuard does not remove a deny on its own\)/,
        ),
      },
    ]);
  });

  it('creates a missing role with a trust policy for S3', () => {
    const result = evaluateOne(
      roleTrustsS3,
      variant((s) => void (s.roles[ROLE_ARN] = known(null))),
    );
    expect(result.remediation).toContain(
      `Create role phi-replication with a trust policy for s3.amazonaws.com (account ${SRC_ACCOUNT})`,
    );
    expect(result.remediation).toContain('role_source_permissions');
    expect(result.changes).toEqual([
      {
        kind: 'create-role',
        roleArn: ROLE_ARN,
        roleName: 'phi-replication',
        accountId: SRC_ACCOUNT,
        trust: [
          {
            Sid: 'ReplGuardS3AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    ]);
  });

  it.each<[string, (s: MutableSnapshot) => void, string]>([
    ['the role cannot be read', (s) => void (s.roles[ROLE_ARN] = denied('iam:GetRole')), 'iam:GetRole'],
    ['the role was not collected', (s) => void delete s.roles[ROLE_ARN], 'iam:GetRole'],
    [
      'the replication configuration cannot be read',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      's3:GetReplicationConfiguration',
    ],
  ])('is UNKNOWN when %s', (_name, change, permission) => {
    const result = evaluateOne(roleTrustsS3, variant(change));
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain(permission);
  });

  it('is UNKNOWN, naming the policy, when the trust policy is not a valid policy', () => {
    const result = evaluateOne(roleTrustsS3, variant(trust({ ...s3, Effect: 'Perhaps' })));
    expect(result.status).toBe('UNKNOWN');
    expect(result.message).toMatch(/trust policy/);
  });
});
