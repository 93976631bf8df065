import { describe, expect, it } from 'vitest';
import { simulate } from '../../../shared/policy/simulate.js';
import type { SimulationRequest } from '../../../shared/policy/types.js';
import {
  allow,
  deny,
  DST,
  DST_OBJECTS as dstObjects,
  type Expected,
  expectedOutcome,
  grant,
  outcome,
  role,
  roleArn,
  s3Request,
  SAMPLE_KEY as KEY,
  SRC,
  tlsDeny,
} from './requests.js';

const objects = 'arn:aws:s3:::phi-prod/*';

describe('simulate: S3 requests', () => {
  it.each<[string, SimulationRequest, Expected]>([
    [
      's3:Get* grants GetObjectVersionForReplication',
      s3Request({
        r: role([allow('s3:Get*', objects)]),
        action: 's3:GetObjectVersionForReplication',
        key: KEY,
      }),
      { allowed: true, statements: ['inline policy p: #1'] },
    ],
    [
      '"*" grants everything',
      s3Request({ r: role([allow('*')]), action: 's3:GetObjectVersionAcl', key: KEY }),
      { allowed: true },
    ],
    [
      'NotAction iam:* grants s3 actions',
      s3Request({
        r: role([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
        action: 's3:ListBucket',
      }),
      { allowed: true },
    ],
    [
      'NotAction s3:* grants no s3 action',
      s3Request({
        r: role([{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }]),
        action: 's3:ListBucket',
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'a resource wildcard across buckets (phi-*/*) matches',
      s3Request({
        r: role([allow('s3:GetObjectVersionTagging', 'arn:aws:s3:::phi-*/*')]),
        action: 's3:GetObjectVersionTagging',
        key: KEY,
      }),
      { allowed: true },
    ],
    [
      'an object grant does not cover the bucket itself',
      s3Request({ r: role([allow('s3:ListBucket', objects)]), action: 's3:ListBucket' }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'a prefix-scoped grant covers a sample key inside the prefix',
      s3Request({
        r: role([allow('s3:GetObjectVersionForReplication', 'arn:aws:s3:::phi-prod/records/*')]),
        action: 's3:GetObjectVersionForReplication',
        key: `records/${KEY}`,
      }),
      { allowed: true },
    ],
    [
      'a prefix-scoped grant does not cover another prefix',
      s3Request({
        r: role([allow('s3:GetObjectVersionForReplication', 'arn:aws:s3:::phi-prod/records/*')]),
        action: 's3:GetObjectVersionForReplication',
        key: `imaging/${KEY}`,
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'an explicit deny in the identity policy wins over its allow',
      s3Request({
        r: role([allow('s3:*'), deny('NoTags', 's3:GetObjectVersionTagging')]),
        action: 's3:GetObjectVersionTagging',
        key: KEY,
      }),
      { allowed: false, deniedBy: 'identity', denial: 'explicit', statements: ['inline policy p: NoTags'] },
    ],
    [
      'an explicit deny in the boundary',
      s3Request({
        r: role([allow('s3:*')], [allow('*'), deny('BoundaryDeny', 's3:GetObjectVersion*')]),
        action: 's3:GetObjectVersionAcl',
        key: KEY,
      }),
      {
        allowed: false,
        deniedBy: 'boundary',
        denial: 'explicit',
        statements: ['permissions boundary pb: BoundaryDeny'],
      },
    ],
    [
      'a boundary that does not allow the action blocks the identity grant',
      s3Request({ r: role([allow('s3:*')], [allow('s3:List*')]), action: 's3:GetReplicationConfiguration' }),
      { allowed: false, deniedBy: 'boundary', denial: 'implicit' },
    ],
    [
      'a boundary allowing s3:* lets the identity grant through',
      s3Request({ r: role([allow('s3:Get*')], [allow('s3:*')]), action: 's3:GetReplicationConfiguration' }),
      { allowed: true },
    ],
    [
      'an explicit deny in the bucket policy (same account)',
      s3Request({
        r: role([allow('s3:*')]),
        action: 's3:GetObjectVersionForReplication',
        key: KEY,
        policy: [{ ...deny('DenyAll', 's3:*', objects), Principal: '*' }],
      }),
      {
        allowed: false,
        deniedBy: 'resource-policy',
        denial: 'explicit',
        statements: ['bucket policy of phi-prod: DenyAll'],
      },
    ],
    [
      'a deny for every principal but another role denies this one',
      s3Request({
        r: role([allow('s3:*')]),
        action: 's3:ListBucket',
        policy: [
          {
            ...deny('OnlyOther', 's3:*', 'arn:aws:s3:::phi-prod'),
            Principal: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${SRC}:role/other` } },
          },
        ],
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'explicit' },
    ],
    [
      'a NotPrincipal deny excepting the role still denies it once it has a boundary (AWS documents this)',
      s3Request({
        r: role([allow('s3:*')], [allow('s3:*')]),
        action: 's3:ListBucket',
        policy: [
          {
            Sid: 'OnlyTheRole',
            Effect: 'Deny',
            NotPrincipal: { AWS: roleArn() },
            Action: 's3:*',
            Resource: 'arn:aws:s3:::phi-prod',
          },
        ],
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'explicit' },
    ],
    [
      'a TLS-only deny does not deny S3 (which uses TLS)',
      s3Request({
        r: role([allow('s3:Replicate*', dstObjects)]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
        policy: [tlsDeny, grant('AllowReplication', 's3:Replicate*', dstObjects)],
      }),
      {
        allowed: true,
        statements: ['inline policy p: #1', 'bucket policy of phi-dr: AllowReplication'],
      },
    ],
    [
      'cross-account without a bucket policy',
      s3Request({
        r: role([allow('s3:Replicate*', dstObjects)]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'cross-account with a bucket policy that grants other actions only',
      s3Request({
        r: role([allow('s3:Replicate*', dstObjects)]),
        action: 's3:ReplicateDelete',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
        policy: [grant('AllowReplication', ['s3:ReplicateObject', 's3:ReplicateTags'], dstObjects)],
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'cross-account with a bucket-policy grant but no identity grant',
      s3Request({
        r: role([allow('s3:Get*')]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
        policy: [grant('AllowReplication', 's3:Replicate*', dstObjects)],
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'cross-account with a bucket policy trusting the source account root',
      s3Request({
        r: role([allow('s3:ReplicateObject', dstObjects)]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
        policy: [grant('TrustSource', 's3:ReplicateObject', dstObjects, { AWS: `arn:aws:iam::${SRC}:root` })],
      }),
      { allowed: true },
    ],
    [
      'same account with only a bucket-policy grant',
      s3Request({
        r: role([]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        policy: [grant('AllowReplication', 's3:ReplicateObject', dstObjects)],
      }),
      { allowed: true, statements: ['bucket policy of phi-dr: AllowReplication'] },
    ],
    [
      'same account, a bucket-policy grant to the role is still limited by its boundary',
      s3Request({
        r: role([], [allow('s3:Get*')]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        policy: [grant('AllowReplication', 's3:ReplicateObject', dstObjects)],
      }),
      { allowed: false, deniedBy: 'boundary', denial: 'implicit' },
    ],
  ])('%s', (_name, request, expected) => {
    const verdict = simulate(request);
    expect(outcome(verdict)).toEqual(expectedOutcome(expected));
    if (expected.statements)
      expect(verdict.statements?.map((s) => `${s.policy}: ${s.sid}`)).toEqual(expected.statements);
    expect(verdict.fixes.length > 0).toBe(!expected.allowed);
  });

  it('names the cross-account bucket-policy statement to add, with the role as principal', () => {
    const verdict = simulate(
      s3Request({
        r: role([allow('s3:Replicate*', dstObjects)]),
        action: 's3:ReplicateObject',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
      }),
    );
    expect(verdict).toMatchObject({ sameAccount: false, resourceAccount: DST });
    expect(verdict.fixes).toEqual([
      expect.objectContaining({
        change: 'add',
        side: 'resource-policy',
        where: `the bucket policy of phi-dr (account ${DST})`,
        target: { type: 'bucket-policy', bucket: 'phi-dr', accountId: DST },
        statement: {
          Sid: 'ReplGuardS3ReplicateObject',
          Effect: 'Allow',
          Principal: { AWS: roleArn() },
          Action: ['s3:ReplicateObject'],
          Resource: dstObjects,
        },
      }),
    ]);
  });

  it('asks for both grants when cross-account identity and bucket policy both lack them', () => {
    const verdict = simulate(
      s3Request({ r: role([]), action: 's3:ReplicateObject', bucket: 'phi-dr', key: KEY, account: DST }),
    );
    expect(verdict.fixes.map((f) => [f.side, f.target.type])).toEqual([
      ['identity', 'role-inline-policy'],
      ['resource-policy', 'bucket-policy'],
    ]);
    expect(verdict.fixes[0]?.statement).toEqual({
      Sid: 'ReplGuardS3ReplicateObject',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject'],
      Resource: dstObjects,
    });
  });

  it('points an explicit deny at the statement to remove, not at a grant to add', () => {
    const verdict = simulate(
      s3Request({
        r: role([allow('s3:*'), deny('NoTags', 's3:GetObjectVersionTagging')]),
        action: 's3:GetObjectVersionTagging',
        key: KEY,
      }),
    );
    expect(verdict.fixes).toEqual([
      expect.objectContaining({
        change: 'remove',
        side: 'identity',
        statements: [{ policy: 'inline policy p', sid: 'NoTags' }],
      }),
    ]);
  });
});
