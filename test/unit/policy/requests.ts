/** Builders for policy-engine tests: a role with given statements, and the requests S3 makes with it. */
import type { PolicyDocument, RoleInfo } from '../../../shared/model/snapshot.js';
import { kmsGrantCondition, objectArnOf, s3ReplicationContext } from '../../../shared/policy/context.js';
import type { SimulationRequest, Verdict } from '../../../shared/policy/types.js';

export const SRC = '111111111111';
export const DST = '222222222222';
export const SRC_KEY = `arn:aws:kms:us-east-1:${SRC}:key/1111aaaa-0000-4000-8000-000000000001`;
export const DST_KEY = `arn:aws:kms:us-west-2:${DST}:key/2222bbbb-0000-4000-8000-000000000002`;

export type Statement = Record<string, unknown>;

export const doc = (statements: Statement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

export const roleArn = (account = SRC) => `arn:aws:iam::${account}:role/repl`;

/** A role named `repl` with one inline policy `p` holding `identity`, and a boundary `pb` when given. */
export const role = (identity: Statement[], boundary?: Statement[], trust?: Statement[]): RoleInfo => ({
  arn: roleArn(),
  name: 'repl',
  accountId: SRC,
  trustPolicy: doc(
    trust ?? [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  ),
  inlinePolicies: identity.length > 0 ? [{ name: 'p', document: doc(identity) }] : [],
  managedPolicies: [],
  ...(boundary
    ? { permissionsBoundary: { name: 'pb', arn: `arn:aws:iam::${SRC}:policy/pb`, document: doc(boundary) } }
    : {}),
});

export const allow = (
  action: string | string[],
  resource: string | string[] = '*',
  extra: Statement = {},
) => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});

export const deny = (
  sid: string,
  action: string | string[],
  resource: string | string[] = '*',
  extra: Statement = {},
) => ({
  Sid: sid,
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});

/** A bucket-policy statement for the role (or `principal`). */
export const grant = (
  sid: string,
  action: string | string[],
  resource: string,
  principal: unknown = { AWS: roleArn() },
) => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: resource,
});

/** `action` by role `r` on bucket `bucket` (owned by `account`), on object `key` or the bucket itself. */
export const s3Request = (o: {
  r: RoleInfo;
  action: string;
  bucket?: string;
  key?: string;
  account?: string;
  policy?: Statement[] | null;
}): SimulationRequest => {
  const bucket = o.bucket ?? 'phi-prod';
  return {
    principal: o.r,
    action: o.action,
    resource: {
      kind: 'bucket',
      arn: o.key === undefined ? `arn:aws:s3:::${bucket}` : objectArnOf(bucket, o.key),
      grant: o.key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/*`,
      accountId: o.account ?? SRC,
      name: bucket,
      policy: o.policy ? doc(o.policy) : null,
    },
    context: s3ReplicationContext('s3', { role: o.r, bucket, region: 'us-east-1', objectKey: o.key ?? '' }),
  };
};

/** `action` on a KMS key, with the context S3 sends for an object of `bucket` in `region`. */
export const kmsRequest = (o: {
  r: RoleInfo;
  action?: string;
  key?: string;
  keyAccount?: string;
  keyPolicy: Statement[];
  bucket?: string;
  region?: string;
  bucketKeyEnabled?: boolean;
}): SimulationRequest => {
  const bucket = o.bucket ?? 'phi-prod';
  const region = o.region ?? 'us-east-1';
  return {
    principal: o.r,
    action: o.action ?? 'kms:Decrypt',
    resource: {
      kind: 'key',
      arn: o.key ?? SRC_KEY,
      accountId: o.keyAccount ?? SRC,
      name: o.key ?? SRC_KEY,
      region,
      policy: doc(o.keyPolicy),
    },
    context: s3ReplicationContext('kms', {
      role: o.r,
      bucket,
      region,
      objectKey: 'replguard-sample-object',
      bucketKeyEnabled: o.bucketKeyEnabled ?? false,
    }),
    grantCondition: kmsGrantCondition({ bucket, region, bucketKeyEnabled: o.bucketKeyEnabled ?? false }),
  };
};

export const rootOf = (account: string) => ({
  Sid: 'EnableIAMUserPermissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

/** The identity statement AWS's guide uses for kms:Decrypt on the source key. */
export const decryptVia = (region: string, contextArns: string | string[], key = SRC_KEY) => ({
  Sid: 'Decrypt',
  Effect: 'Allow',
  Action: 'kms:Decrypt',
  Resource: key,
  Condition: {
    StringLike: {
      'kms:ViaService': `s3.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': contextArns,
    },
  },
});

/** What a test expects of a verdict. */
export interface Expected {
  readonly allowed: boolean;
  readonly deniedBy?: Verdict['deniedBy'];
  readonly denial?: Verdict['denial'];
  /** `policy: sid` of the deciding statements, when asserted. */
  readonly statements?: readonly string[];
}

/** The part of a verdict `Expected` describes (without statements). */
export const outcome = (v: Verdict) => ({
  allowed: v.allowed,
  ...(v.deniedBy ? { deniedBy: v.deniedBy, denial: v.denial } : {}),
});

/** `expected` without its statements, for comparison with `outcome`. */
export const expectedOutcome = (expected: Expected) => ({
  allowed: expected.allowed,
  ...(expected.deniedBy ? { deniedBy: expected.deniedBy, denial: expected.denial } : {}),
});

export const SAMPLE_KEY = 'replguard-sample-object';
export const DST_OBJECTS = 'arn:aws:s3:::phi-dr/*';

/** The usual TLS-only deny of a destination bucket policy. */
export const tlsDeny = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::phi-dr', DST_OBJECTS],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
