/** Creating one resource of a scenario in the emulator: buckets, keys, roles (alarms and trails: monitoring.ts). */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  type Event as S3Event,
  PutBucketEncryptionCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import type { AccountClients } from './clients.js';

/** What resource creation needs from the scenario. */
export interface Context {
  readonly home: string;
  readonly region: string;
  clients(account: string, region: string): AccountClients;
  /** A bucket name unique in the emulator (bucket names are global across accounts). */
  uniqueName(base: string): string;
}

export type Versioning = 'Enabled' | 'Suspended' | 'Off';

export interface BucketSpec {
  /** Base name; the scenario appends a suffix unique to its account. */
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  /** Default Enabled. */
  readonly versioning?: Versioning;
  /** Default encryption; a key handle or any key reference for KMS. Omitted: none set. */
  readonly encryption?:
    | { readonly algorithm: 'AES256' }
    | {
        readonly algorithm: 'aws:kms' | 'aws:kms:dsse';
        readonly key?: KeyHandle | string;
        readonly bucketKey?: boolean;
      };
  /** Object Lock with a default retention (created with Object Lock enabled). */
  readonly objectLock?: {
    readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
    readonly days?: number;
    readonly years?: number;
  };
  readonly policy?: PolicyDocument;
  readonly tags?: Readonly<Record<string, string>>;
  readonly notifications?: readonly {
    readonly type: 'sqs' | 'sns' | 'lambda';
    readonly arn: string;
    readonly events: readonly string[];
  }[];
}

export interface BucketHandle {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
}

export const setVersioning = async (
  ctx: Context,
  bucket: BucketHandle,
  status: Versioning,
): Promise<void> => {
  if (status === 'Off') return;
  await ctx
    .clients(bucket.account, bucket.region)
    .s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket.name, VersioningConfiguration: { Status: status } }),
    );
};

export const keyRefOf = (key: KeyHandle | string): string => (typeof key === 'string' ? key : key.arn);

export const createBucket = async (ctx: Context, spec: BucketSpec): Promise<BucketHandle> => {
  const account = spec.account ?? ctx.home;
  const region = spec.region ?? ctx.region;
  const name = ctx.uniqueName(spec.name);
  if (spec.objectLock && (spec.versioning ?? 'Enabled') !== 'Enabled')
    throw new Error(
      `${name}: S3 keeps versioning Enabled on an Object Lock bucket (it cannot be ${spec.versioning})`,
    );
  const { s3 } = ctx.clients(account, region);
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region !== 'us-east-1'
        ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }
        : {}),
      ...(spec.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
    }),
  );
  const bucket = { name, arn: `arn:aws:s3:::${name}`, account, region };
  const steps: Promise<unknown>[] = [setVersioning(ctx, bucket, spec.versioning ?? 'Enabled')];
  const enc = spec.encryption;
  if (enc) {
    const byDefault =
      enc.algorithm === 'AES256'
        ? { SSEAlgorithm: 'AES256' as const }
        : { SSEAlgorithm: enc.algorithm, ...(enc.key ? { KMSMasterKeyID: keyRefOf(enc.key) } : {}) };
    const bucketKey = enc.algorithm !== 'AES256' && enc.bucketKey === true;
    steps.push(
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket: name,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: bucketKey }],
          },
        }),
      ),
    );
  }
  if (spec.objectLock) {
    const { mode, days, years } = spec.objectLock;
    steps.push(
      s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: name,
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: mode, ...(years ? { Years: years } : { Days: days ?? 365 }) } },
          },
        }),
      ),
    );
  }
  if (spec.policy)
    steps.push(s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(spec.policy) })));
  if (spec.tags && Object.keys(spec.tags).length > 0)
    steps.push(
      s3.send(
        new PutBucketTaggingCommand({
          Bucket: name,
          Tagging: { TagSet: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      ),
    );
  if (spec.notifications && spec.notifications.length > 0) {
    const of = (type: string) => spec.notifications?.filter((n) => n.type === type) ?? [];
    const events = (n: { events: readonly string[] }) => [...n.events] as S3Event[];
    steps.push(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: name,
          NotificationConfiguration: {
            QueueConfigurations: of('sqs').map((n) => ({ QueueArn: n.arn, Events: events(n) })),
            TopicConfigurations: of('sns').map((n) => ({ TopicArn: n.arn, Events: events(n) })),
            LambdaFunctionConfigurations: of('lambda').map((n) => ({
              LambdaFunctionArn: n.arn,
              Events: events(n),
            })),
          },
        }),
      ),
    );
  }
  await Promise.all(steps);
  return bucket;
};

export interface KeySpec {
  readonly account?: string;
  readonly region?: string;
  /** Alias name without `alias/`. */
  readonly alias?: string;
  readonly policy?: PolicyDocument;
  readonly state?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  readonly description?: string;
}

export type KeyRefKind = 'arn' | 'id' | 'alias' | 'alias-arn';

export interface KeyHandle {
  readonly keyId: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** `alias/<name>` when the key has an alias. */
  readonly alias?: string;
  readonly aliasArn?: string;
  /** The key referenced one of the four ways S3 accepts. */
  ref(kind: KeyRefKind): string;
}

export const createKey = async (ctx: Context, spec: KeySpec = {}): Promise<KeyHandle> => {
  const account = spec.account ?? ctx.home;
  const region = spec.region ?? ctx.region;
  const { kms } = ctx.clients(account, region);
  const out = await kms.send(
    new CreateKeyCommand({
      Description: spec.description ?? 'ReplGuard scenario key',
      ...(spec.policy ? { Policy: JSON.stringify(spec.policy) } : {}),
    }),
  );
  const keyId = out.KeyMetadata?.KeyId ?? '';
  const arn = out.KeyMetadata?.Arn ?? `arn:aws:kms:${region}:${account}:key/${keyId}`;
  const alias = spec.alias ? `alias/${spec.alias}` : undefined;
  if (alias) await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  if (spec.state === 'Disabled') await kms.send(new DisableKeyCommand({ KeyId: keyId }));
  if (spec.state === 'PendingDeletion')
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
  const aliasArn = alias ? `arn:aws:kms:${region}:${account}:${alias}` : undefined;
  return {
    keyId,
    arn,
    account,
    region,
    ...(alias ? { alias, aliasArn } : {}),
    ref: (kind) => {
      if (kind === 'arn') return arn;
      if (kind === 'id') return keyId;
      if (!alias || !aliasArn) throw new Error(`key ${keyId} has no alias to reference`);
      return kind === 'alias' ? alias : aliasArn;
    },
  };
};

export interface RoleSpec {
  readonly name: string;
  readonly account?: string;
  readonly path?: string;
  readonly trust: PolicyDocument;
  readonly inline?: Readonly<Record<string, PolicyDocument>>;
  /** Customer managed policies to create and attach, by name. */
  readonly managed?: Readonly<Record<string, PolicyDocument>>;
  /** Existing managed policy ARNs to attach. */
  readonly attach?: readonly string[];
  readonly boundary?: PolicyDocument;
}

export interface RoleHandle {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  /** ARNs of the managed policies created for it (boundary included). */
  readonly policyArns: readonly string[];
}

export const createRole = async (ctx: Context, spec: RoleSpec): Promise<RoleHandle> => {
  const account = spec.account ?? ctx.home;
  const { iam } = ctx.clients(account, 'us-east-1');
  const createPolicy = async (name: string, doc: PolicyDocument) =>
    (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) })))
      .Policy?.Arn ?? '';
  const managedArns = await Promise.all(
    Object.entries(spec.managed ?? {}).map(([name, doc]) => createPolicy(`${spec.name}-${name}`, doc)),
  );
  const boundaryArn = spec.boundary ? await createPolicy(`${spec.name}-boundary`, spec.boundary) : undefined;
  const out = await iam.send(
    new CreateRoleCommand({
      RoleName: spec.name,
      ...(spec.path ? { Path: spec.path } : {}),
      AssumeRolePolicyDocument: JSON.stringify(spec.trust),
    }),
  );
  await Promise.all([
    ...Object.entries(spec.inline ?? {}).map(([PolicyName, doc]) =>
      iam.send(
        new PutRolePolicyCommand({ RoleName: spec.name, PolicyName, PolicyDocument: JSON.stringify(doc) }),
      ),
    ),
    ...[...managedArns, ...(spec.attach ?? [])].map((PolicyArn) =>
      iam.send(new AttachRolePolicyCommand({ RoleName: spec.name, PolicyArn })),
    ),
    ...(boundaryArn
      ? [
          iam.send(
            new PutRolePermissionsBoundaryCommand({ RoleName: spec.name, PermissionsBoundary: boundaryArn }),
          ),
        ]
      : []),
  ]);
  return {
    name: spec.name,
    arn: out.Role?.Arn ?? `arn:aws:iam::${account}:role${spec.path ?? '/'}${spec.name}`,
    account,
    policyArns: [...managedArns, ...(boundaryArn ? [boundaryArn] : [])],
  };
};
