/**
 * The healthy policies of AWS's cross-account SSE-KMS replication guide, parametrised: the same shapes as
 * `test/fixtures/snapshots.ts`, for any buckets, keys, Regions and roles. Plus small helpers to break them.
 */
import type { PolicyDocument } from '../../../shared/model/snapshot.js';

export type Statement = Record<string, unknown>;
export interface Policy extends PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: Statement[];
}

const policy = (...statements: Statement[]): Policy => ({ Version: '2012-10-17', Statement: statements });
const arnOf = (bucket: string) => `arn:aws:s3:::${bucket}`;

export const tlsOnlyStatement = (bucket: string): Statement => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [arnOf(bucket), `${arnOf(bucket)}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

export const tlsOnlyPolicy = (bucket: string): Policy => policy(tlsOnlyStatement(bucket));

/** The replication role's trust policy: S3 may assume it. */
export const s3TrustPolicy = (): Policy =>
  policy({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' });

/** Trust for ReplGuard's read-only role in another account: the home account may assume it. */
export const accountTrustPolicy = (account: string): Policy =>
  policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });

/** What ReplGuard reads (documentation only: the emulator does not enforce it). */
export const readOnlyPolicy = (): Policy =>
  policy({
    Effect: 'Allow',
    Action: [
      's3:GetBucket*',
      's3:GetEncryptionConfiguration',
      's3:GetReplicationConfiguration',
      's3:GetLifecycleConfiguration',
      's3:ListAllMyBuckets',
      'kms:DescribeKey',
      'kms:GetKeyPolicy',
      'iam:GetRole',
      'iam:GetRolePolicy',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'cloudwatch:DescribeAlarms',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:GetEventSelectors',
    ],
    Resource: '*',
  });

export interface KeyUse {
  readonly arn: string;
  readonly region: string;
}

export interface RolePolicyInput {
  /** Source bucket names (or patterns such as `bench-src-*`). */
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly sourceKeys?: readonly KeyUse[];
  readonly replicaKeys?: readonly KeyUse[];
  /** Adds s3:GetObjectRetention and s3:GetObjectLegalHold. */
  readonly objectLock?: boolean;
  /** Adds s3:ObjectOwnerOverrideToBucketOwner (owner override to the destination account). */
  readonly ownerOverride?: boolean;
  /**
   * S3 Bucket Keys are on: KMS sees the bucket ARN as encryption context instead of the object ARN, so the
   * KMS conditions name both.
   */
  readonly bucketKey?: boolean;
}

const byRegion = (keys: readonly KeyUse[]) =>
  [...new Set(keys.map((k) => k.region))].map((region) => ({
    region,
    arns: keys.filter((k) => k.region === region).map((k) => k.arn),
  }));

/** The encryption contexts S3 uses for objects of `buckets`: object ARNs, plus bucket ARNs with Bucket Keys. */
const contexts = (buckets: readonly string[], bucketKey: boolean | undefined): string[] => [
  ...buckets.map((b) => `${arnOf(b)}/*`),
  ...(bucketKey ? buckets.map(arnOf) : []),
];

/** The replication role's permissions policy, as in AWS's guide (KMS conditioned on ViaService and the object ARN). */
export const replicationRolePolicy = (input: RolePolicyInput): Policy =>
  policy(
    {
      Effect: 'Allow',
      Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      Resource: input.sources.map(arnOf),
    },
    {
      Effect: 'Allow',
      Action: [
        's3:GetObjectVersionForReplication',
        's3:GetObjectVersionAcl',
        's3:GetObjectVersionTagging',
        ...(input.objectLock ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : []),
      ],
      Resource: input.sources.map((s) => `${arnOf(s)}/*`),
    },
    {
      Effect: 'Allow',
      Action: [
        's3:ReplicateObject',
        's3:ReplicateDelete',
        's3:ReplicateTags',
        ...(input.ownerOverride ? ['s3:ObjectOwnerOverrideToBucketOwner'] : []),
      ],
      Resource: input.destinations.map((d) => `${arnOf(d)}/*`),
    },
    ...byRegion(input.sourceKeys ?? []).map(({ region, arns }) => ({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: arns,
      Condition: {
        StringLike: {
          'kms:ViaService': `s3.${region}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': contexts(input.sources, input.bucketKey),
        },
      },
    })),
    ...byRegion(input.replicaKeys ?? []).map(({ region, arns }) => ({
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: arns,
      Condition: {
        StringLike: {
          'kms:ViaService': `s3.${region}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': contexts(input.destinations, input.bucketKey),
        },
      },
    })),
  );

/** The cross-account destination bucket policy: TLS only, and the source role may replicate into it. */
export const destinationBucketPolicy = (
  bucket: string,
  roleArns: readonly string[],
  ownerOverride = true,
): Policy =>
  policy(
    tlsOnlyStatement(bucket),
    {
      Sid: 'AllowReplication',
      Effect: 'Allow',
      Principal: { AWS: roleArns.length === 1 ? roleArns[0] : [...roleArns] },
      Action: [
        's3:ReplicateObject',
        's3:ReplicateDelete',
        's3:ReplicateTags',
        ...(ownerOverride ? ['s3:ObjectOwnerOverrideToBucketOwner'] : []),
      ],
      Resource: `${arnOf(bucket)}/*`,
    },
    {
      Sid: 'AllowReplicationBucketLevel',
      Effect: 'Allow',
      Principal: { AWS: roleArns.length === 1 ? roleArns[0] : [...roleArns] },
      Action: ['s3:List*', 's3:GetBucketVersioning', 's3:PutBucketVersioning'],
      Resource: arnOf(bucket),
    },
  );

const rootDelegation = (account: string): Statement => ({
  Sid: 'EnableIAMUserPermissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

/** A key policy delegating to the owner account, and (for a replica key) letting the source roles encrypt. */
export const keyPolicy = (account: string, replicationRoles: readonly string[] = []): Policy =>
  policy(
    rootDelegation(account),
    ...(replicationRoles.length > 0
      ? [
          {
            Sid: 'AllowSourceReplicationRole',
            Effect: 'Allow',
            Principal: { AWS: replicationRoles.length === 1 ? replicationRoles[0] : [...replicationRoles] },
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: '*',
          },
        ]
      : []),
  );

const asList = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : [value as string]);

/**
 * The policy without `actions`: removed from every statement's `Action`, and a statement left with no action is
 * dropped. `withoutActions(rolePolicy, 'kms:Decrypt')` breaks the source key's chain.
 */
export const withoutActions = (doc: Policy, ...actions: string[]): Policy => ({
  ...doc,
  Statement: doc.Statement.flatMap((s) => {
    const kept = asList(s.Action).filter((a) => !actions.includes(a));
    if (kept.length === 0) return [];
    return [{ ...s, Action: kept.length === 1 ? kept[0] : kept }];
  }),
});

/** The policy without the statements whose `Sid` is given. */
export const withoutStatements = (doc: Policy, ...sids: string[]): Policy => ({
  ...doc,
  Statement: doc.Statement.filter((s) => !sids.includes(String(s.Sid))),
});
