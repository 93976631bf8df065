/**
 * Changes → steps: every change of one resource merged, then rendered from the state the scan read
 * (read-modify-write), so each resource gets one call carrying its whole new document or configuration.
 * A step also says what the resource becomes (`final`), which the planner applies to copies of the
 * snapshots to prove the plan before it is printed.
 */
import type { Change, PlannedDocument, ReplicationRulePatch, Statement } from '../model/fix.js';
import { arns, partitionOf } from '../model/partition.js';
import type {
  AlarmInfo,
  BucketNotifications,
  DataEventSelector,
  PolicyDocument,
  ReplicationConfiguration,
  ReplicationRule,
} from '../model/snapshot.js';
import { apiConfiguration } from '../rules/lib/replicationJson.js';
import { normaliseSelectors } from '../collect/normalise/cloudtrail.js';
import { plannedDocument } from './documents.js';
import { defaultKeyPolicyStatement, isPlannedKeyArn, plannedKeyArn, withoutPlaceholders } from './keys.js';
import { cliCommand, cliSequence, type Operation } from './operations.js';
import { holderKey, mergeChanges, rankOf, resourceKeyOf } from './resources.js';
import type { World } from './world.js';

/** What a resource becomes once its step ran (applied to snapshot copies by shared/fix/simulate.ts). */
export type Final =
  | {
      readonly kind: 'policy';
      readonly change: Extract<Change, { kind: 'policy' }>;
      readonly doc: PlannedDocument;
    }
  | { readonly kind: 'versioning'; readonly bucket: string }
  | {
      readonly kind: 'encryption';
      readonly bucket: string;
      readonly keyId: string;
      readonly bucketKey: boolean;
    }
  | {
      readonly kind: 'object-lock';
      readonly bucket: string;
      readonly change: Extract<Change, { kind: 'object-lock' }>;
    }
  | { readonly kind: 'replication'; readonly bucket: string; readonly config: ReplicationConfiguration }
  | { readonly kind: 'create-bucket'; readonly change: Extract<Change, { kind: 'create-bucket' }> }
  | { readonly kind: 'key-state'; readonly keyArn: string }
  | {
      readonly kind: 'create-key';
      readonly change: Extract<Change, { kind: 'create-key' }>;
      readonly keyArn: string;
      readonly policy: PlannedDocument;
    }
  | {
      readonly kind: 'create-role';
      readonly change: Extract<Change, { kind: 'create-role' }>;
      readonly trust: PlannedDocument;
    }
  | { readonly kind: 'alarm'; readonly accountId: string; readonly region: string; readonly alarm: AlarmInfo }
  | {
      readonly kind: 'alarm-actions';
      readonly accountId: string;
      readonly region: string;
      readonly name: string;
    }
  | { readonly kind: 'topic' }
  | { readonly kind: 'notification'; readonly bucket: string; readonly notifications: BucketNotifications }
  | {
      readonly kind: 'trail-selectors';
      readonly trailArn: string;
      readonly selectors: readonly DataEventSelector[];
    }
  | { readonly kind: 'trail-logging'; readonly trailArn: string }
  | { readonly kind: 'backfill'; readonly change: Extract<Change, { kind: 'backfill' }> };

/** A change rendered from what was read: the calls, what the resource becomes, what must come first. */
interface Rendered {
  readonly resource: string;
  readonly resourceType: string;
  readonly resourceArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly operations: readonly Operation[];
  /** The command to print, when it is not the AWS CLI form of `operations` (the backfill). */
  readonly command?: string;
  readonly summary: string;
  readonly final: Final;
  /** Resource keys that must be changed first (when they are in the plan). */
  readonly needs: readonly string[];
}

export interface Step extends Rendered {
  /** The resource key (shared/fix/resources.ts). */
  readonly key: string;
  readonly rank: number;
  readonly change: Change;
  readonly command: string;
}

/** A change that cannot be rendered safely from what was read (the decision names why). */
export interface Blocked {
  readonly key: string;
  readonly change: Change;
  readonly why: string;
}

const canonical = (c: Change): string => JSON.stringify(c);

/** Every change of the same resource merged into one, in a canonical order. */
export const groupChanges = (changes: readonly Change[]): Map<string, Change> => {
  const groups = new Map<string, Change>();
  for (const change of [...changes].sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1))) {
    const key = resourceKeyOf(change);
    if (key === undefined) continue;
    const have = groups.get(key);
    groups.set(key, have ? mergeChanges(have, change) : change);
  }
  return groups;
};

const json = (value: unknown): string => JSON.stringify(value);

const statementCount = (doc: PolicyDocument): number =>
  Array.isArray(doc.Statement) ? doc.Statement.length : doc.Statement ? 1 : 0;

/** The replication configuration with every patch and addition applied. */
export const patchedReplication = (
  config: ReplicationConfiguration,
  patches: readonly ReplicationRulePatch[],
  additions: Extract<Change, { kind: 'replication' }>['additions'] = [],
  region: string,
): ReplicationConfiguration => {
  const patched = config.rules.map((rule): ReplicationRule => {
    const mine = patches.filter((p) => p.ruleId === rule.id);
    if (mine.length === 0) return rule;
    let r: ReplicationRule = rule;
    for (const p of [...mine].sort((a, b) => (json(a) < json(b) ? -1 : 1))) {
      const d = r.destination;
      r = {
        ...r,
        ...(p.status ? { status: p.status } : {}),
        ...(p.sseKmsEncryptedObjects ? { sseKmsEncryptedObjects: p.sseKmsEncryptedObjects } : {}),
        destination: {
          ...d,
          ...(p.replicaKmsKeyId ? { replicaKmsKeyId: p.replicaKmsKeyId } : {}),
          ...(p.metrics ? { metrics: p.metrics } : {}),
          ...(p.replicationTime ? { replicationTime: p.replicationTime } : {}),
          ...(p.destinationAccount ? { account: p.destinationAccount } : {}),
        },
      };
    }
    return r;
  });
  const added = [...(additions ?? [])]
    .filter((a) => !patched.some((r) => r.id === a.ruleId))
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))
    .flatMap((a): ReplicationRule[] => {
      const like = patched.find((r) => r.id === a.like);
      if (!like) return [];
      const { replicaKmsKeyId: _old, ...destination } = like.destination;
      return [
        {
          ...like,
          id: a.ruleId,
          priority: undefined,
          destination: {
            ...destination,
            bucket: a.destinationBucket,
            bucketArn: arns.bucket(region, a.destinationBucket),
            ...(a.destinationAccount ? { account: a.destinationAccount } : {}),
            ...(a.replicaKmsKeyId ? { replicaKmsKeyId: a.replicaKmsKeyId } : {}),
          },
        },
      ];
    });
  return { ...config, rules: [...patched, ...added] };
};

/** The notification configuration as read, with ReplGuard's topic configuration added (by Id). */
const notificationConfiguration = (
  current: Readonly<Record<string, unknown>>,
  change: Extract<Change, { kind: 'notification' }>,
): Record<string, unknown> => {
  const topics = ((current.TopicConfigurations as Record<string, unknown>[] | undefined) ?? []).filter(
    (t) => t.Id !== change.id,
  );
  return {
    ...current,
    TopicConfigurations: [
      ...topics,
      { Id: change.id, TopicArn: change.topicArn, Events: [...change.events] },
    ],
  };
};

const S3_OBJECT = 'AWS::S3::Object';

/**
 * The trail's selectors as read, plus one logging every data event on the buckets' objects: a basic
 * selector next to basic ones (a trail cannot mix the kinds), else an advanced one.
 */
const selectorsWith = (
  raw: {
    eventSelectors?: readonly Record<string, unknown>[];
    advancedEventSelectors?: readonly Record<string, unknown>[];
  },
  buckets: readonly string[],
  region: string,
): { EventSelectors?: Record<string, unknown>[]; AdvancedEventSelectors?: Record<string, unknown>[] } => {
  const prefixes = [...buckets].sort().map((b) => `${arns.bucket(region, b)}/`);
  if (raw.eventSelectors?.length) {
    // Basic selectors (at most 5): widen one that already logs object writes, else add one.
    const selectors = raw.eventSelectors.map((s) => ({ ...s }));
    const writes = selectors.findIndex(
      (s) =>
        s.ReadWriteType !== 'ReadOnly' &&
        ((s.DataResources as Record<string, unknown>[] | undefined) ?? []).some((r) => r.Type === S3_OBJECT),
    );
    const target = selectors[writes];
    if (target) {
      const resources = (target.DataResources as Record<string, unknown>[]).map((r) =>
        r.Type === S3_OBJECT
          ? {
              ...r,
              Values: [
                ...((r.Values as string[] | undefined) ?? []),
                ...prefixes.filter((p) => !((r.Values as string[] | undefined) ?? []).includes(p)),
              ],
            }
          : r,
      );
      selectors[writes] = { ...target, DataResources: resources };
      return { EventSelectors: selectors };
    }
    return {
      EventSelectors: [
        ...selectors,
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [{ Type: S3_OBJECT, Values: prefixes }],
        },
      ],
    };
  }
  const name = 'ReplGuard: S3 data events of PHI buckets';
  const existing = (raw.advancedEventSelectors ?? []).find((s) => s.Name === name);
  const had = existing
    ? ((((existing.FieldSelectors as Record<string, unknown>[] | undefined) ?? []).find(
        (f) => f.Field === 'resources.ARN',
      )?.StartsWith as string[] | undefined) ?? [])
    : [];
  const others = (raw.advancedEventSelectors ?? []).filter((s) => s.Name !== name);
  return {
    AdvancedEventSelectors: [
      ...others.map((s) => ({ ...s })),
      {
        Name: name,
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: [S3_OBJECT] },
          { Field: 'resources.ARN', StartsWith: [...had, ...prefixes.filter((p) => !had.includes(p))] },
        ],
      },
    ],
  };
};

const policyOperation = (
  change: Extract<Change, { kind: 'policy' }>,
  doc: PlannedDocument,
  region: string,
): Operation => {
  const h = change.holder;
  const text = json(doc);
  switch (h.kind) {
    case 'bucket-policy':
      return { service: 's3api', name: 'PutBucketPolicy', region, input: { Bucket: h.bucket, Policy: text } };
    case 'key-policy':
      return {
        service: 'kms',
        name: 'PutKeyPolicy',
        region: h.region,
        input: { KeyId: h.keyArn, PolicyName: 'default', Policy: text },
      };
    case 'trust-policy':
      return {
        service: 'iam',
        name: 'UpdateAssumeRolePolicy',
        input: { RoleName: h.roleName, PolicyDocument: text },
      };
    case 'role-inline-policy':
      return {
        service: 'iam',
        name: 'PutRolePolicy',
        input: { RoleName: h.roleName, PolicyName: h.policyName, PolicyDocument: text },
      };
    case 'managed-policy':
      return {
        service: 'iam',
        name: 'CreatePolicyVersion',
        input: { PolicyArn: h.policyArn, PolicyDocument: text, SetAsDefault: true },
      };
  }
};

const holderName = (change: Extract<Change, { kind: 'policy' }>): { what: string; arn: string } => {
  const h = change.holder;
  switch (h.kind) {
    case 'bucket-policy':
      return { what: `the bucket policy of ${h.bucket}`, arn: '' };
    case 'key-policy':
      return { what: `the key policy of ${h.keyArn}`, arn: h.keyArn };
    case 'trust-policy':
      return { what: `the trust policy of role ${h.roleName}`, arn: h.roleArn };
    case 'role-inline-policy':
      return { what: `inline policy ${h.policyName} of role ${h.roleName}`, arn: h.roleArn };
    case 'managed-policy':
      return { what: `managed policy ${h.policyName}`, arn: h.policyArn };
  }
};

export interface StepContext {
  readonly world: World;
  /** All merged changes of the plan, by resource key (to see what else is planned). */
  readonly planned: ReadonlyMap<string, Change>;
  /** Region to use for buckets whose Region was not read. */
  readonly defaultRegion: string;
}

const bucketRegion = (ctx: StepContext, bucket: string): string => {
  const created = ctx.planned.get(`bucket|${bucket}`);
  if (created?.kind === 'create-bucket') return created.region;
  return ctx.world.bucket(bucket)?.region ?? ctx.defaultRegion;
};

const createdBucket = (ctx: StepContext, bucket: string): boolean => ctx.planned.has(`bucket|${bucket}`);

const render = (ctx: StepContext, change: Change): Rendered | { blocked: string } => {
  const { world } = ctx;
  switch (change.kind) {
    case 'policy': {
      const h = change.holder;
      let base: PolicyDocument | null = null;
      let region = ctx.defaultRegion;
      const needs: string[] = [];
      if (h.kind === 'bucket-policy') {
        region = bucketRegion(ctx, h.bucket);
        if (createdBucket(ctx, h.bucket)) needs.push(`bucket|${h.bucket}`);
        else {
          const policy = world.bucket(h.bucket)?.policy;
          if (!policy?.known) return { blocked: `the bucket policy of ${h.bucket} could not be read` };
          base = policy.value;
        }
      } else if (h.kind === 'key-policy') {
        region = h.region;
        const key = world.key(h.keyArn);
        if (!key?.policy.known) return { blocked: `the key policy of ${h.keyArn} could not be read` };
        base = key.policy.value;
      } else if (h.kind === 'managed-policy') {
        const policy = world.managedPolicy(h.policyArn);
        if (!policy) return { blocked: `managed policy ${h.policyArn} could not be read` };
        base = policy.document;
      } else {
        const role = world.role(h.roleArn);
        if (ctx.planned.has(`role|${h.roleArn}`)) needs.push(`role|${h.roleArn}`);
        else if (!role) return { blocked: `role ${h.roleArn} could not be read` };
        if (h.kind === 'trust-policy') base = role?.trustPolicy ?? null;
        else base = role?.inlinePolicies.find((p) => p.name === h.policyName)?.document ?? null;
      }
      const doc = withoutPlaceholders(plannedDocument(base, change.add ?? [], change.exempt ?? []));
      const { what, arn } = holderName(change);
      const added = (change.add ?? []).length;
      const narrowed = (change.exempt ?? []).length;
      return {
        resource: what,
        resourceType: h.kind,
        resourceArn: h.kind === 'bucket-policy' ? arns.bucket(region, h.bucket) : arn,
        accountId: h.accountId,
        region,
        operations: [policyOperation(change, doc, region)],
        summary: `Write ${what}: ${
          base && statementCount(base) > 0
            ? `the current statements${added ? `, plus ${added} from ReplGuard (merged by Sid)` : ''}`
            : `a new document with ${added} statement${added === 1 ? '' : 's'} from ReplGuard`
        }${
          narrowed
            ? `, with ${narrowed} deny statement${narrowed === 1 ? '' : 's'} narrowed to spare the replication role`
            : ''
        }.${h.kind === 'managed-policy' ? ' IAM keeps 5 versions of a policy: delete an old non-default version first if it refuses (LimitExceeded).' : ''}`,
        final: { kind: 'policy', change, doc },
        needs,
      };
    }
    case 'versioning': {
      const region = bucketRegion(ctx, change.bucket);
      return {
        resource: `the versioning of ${change.bucket}`,
        resourceType: 'bucket-versioning',
        resourceArn: arns.bucket(region, change.bucket),
        accountId: change.accountId,
        region,
        operations: [
          {
            service: 's3api',
            name: 'PutBucketVersioning',
            region,
            input: { Bucket: change.bucket, VersioningConfiguration: { Status: 'Enabled' } },
          },
        ],
        summary: `Enable versioning on ${change.bucket}.`,
        final: { kind: 'versioning', bucket: change.bucket },
        needs: [`bucket|${change.bucket}`],
      };
    }
    case 'encryption': {
      const region = bucketRegion(ctx, change.bucket);
      const keyNeeds = [...ctx.planned.values()]
        .filter((c) => c.kind === 'create-key' && change.keyId.endsWith(`:${c.alias}`))
        .map((c) => resourceKeyOf(c) ?? '');
      return {
        resource: `the default encryption of ${change.bucket}`,
        resourceType: 'bucket-encryption',
        resourceArn: arns.bucket(region, change.bucket),
        accountId: change.accountId,
        region,
        operations: [
          {
            service: 's3api',
            name: 'PutBucketEncryption',
            region,
            input: {
              Bucket: change.bucket,
              ServerSideEncryptionConfiguration: {
                Rules: [
                  {
                    ApplyServerSideEncryptionByDefault: {
                      SSEAlgorithm: 'aws:kms',
                      KMSMasterKeyID: change.keyId,
                    },
                    BucketKeyEnabled: change.bucketKey,
                  },
                ],
              },
            },
          },
        ],
        summary: `Default-encrypt ${change.bucket} with SSE-KMS under ${change.keyId}${
          change.bucketKey ? ' and an S3 Bucket Key (the KMS encryption context becomes the bucket ARN)' : ''
        }. Existing objects keep their encryption until rewritten.`,
        final: {
          kind: 'encryption',
          bucket: change.bucket,
          keyId: change.keyId,
          bucketKey: change.bucketKey,
        },
        needs: [`bucket|${change.bucket}`, ...keyNeeds],
      };
    }
    case 'object-lock': {
      const region = bucketRegion(ctx, change.bucket);
      const r = change.retention;
      const lock = world.bucket(change.bucket)?.objectLock;
      const locked = lock?.known === true && lock.value?.enabled === true;
      const period = r
        ? r.days !== undefined && r.years === undefined
          ? { Days: r.days }
          : r.years !== undefined && r.days === undefined
            ? { Years: r.years }
            : { Days: (r.days ?? 0) + (r.years ?? 0) * 365 }
        : undefined;
      return {
        resource: `the Object Lock configuration of ${change.bucket}`,
        resourceType: 'object-lock',
        resourceArn: arns.bucket(region, change.bucket),
        accountId: change.accountId,
        region,
        operations: [
          {
            service: 's3api',
            name: 'PutObjectLockConfiguration',
            region,
            input: {
              Bucket: change.bucket,
              ObjectLockConfiguration: {
                ObjectLockEnabled: 'Enabled',
                ...(r && period ? { Rule: { DefaultRetention: { Mode: r.mode, ...period } } } : {}),
              },
            },
          },
        ],
        summary: `${locked ? 'Set the default retention of' : 'Enable Object Lock on'} ${change.bucket}${
          r
            ? ` ${locked ? 'to' : 'with default retention'} ${r.mode} ${period?.Days !== undefined ? `${period.Days} days` : `${period?.Years} years`}`
            : ''
        }.${locked ? '' : ' Object Lock can never be turned off again.'} Existing locked versions keep their retention.`,
        final: { kind: 'object-lock', bucket: change.bucket, change },
        needs: [`bucket|${change.bucket}`, `versioning|${change.bucket}`],
      };
    }
    case 'replication': {
      const current = world.bucket(change.bucket)?.replication;
      if (!current?.known || !current.value)
        return { blocked: `the replication configuration of ${change.bucket} could not be read` };
      const config = withoutPlaceholders(
        patchedReplication(current.value, change.patches ?? [], change.additions ?? [], change.region),
      );
      const destinations = config.rules.map((r) => r.destination.bucket);
      const keys = config.rules.flatMap((r) =>
        r.destination.replicaKmsKeyId ? [r.destination.replicaKmsKeyId] : [],
      );
      const keyNeeds = [...ctx.planned.values()]
        .filter((c) => c.kind === 'create-key' && keys.some((k) => k.endsWith(`:${c.alias}`)))
        .map((c) => resourceKeyOf(c) ?? '');
      const roleNeeds = [...ctx.planned.keys()].filter(
        (k) => k.includes(`|${config.role}`) || k === `role|${config.role}`,
      );
      return {
        resource: `the replication configuration of ${change.bucket}`,
        resourceType: 'replication-configuration',
        resourceArn: arns.bucket(change.region, change.bucket),
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 's3api',
            name: 'PutBucketReplication',
            region: change.region,
            input: { Bucket: change.bucket, ReplicationConfiguration: apiConfiguration(config) },
          },
        ],
        summary: `Write the replication configuration of ${change.bucket}: every rule as it is${
          change.patches?.length
            ? `, rule${new Set(change.patches.map((p) => p.ruleId)).size === 1 ? '' : 's'} ${[...new Set(change.patches.map((p) => p.ruleId))].join(', ')} changed`
            : ''
        }${change.additions?.length ? `, rule${change.additions.length === 1 ? '' : 's'} ${change.additions.map((a) => a.ruleId).join(', ')} added` : ''}.`,
        final: { kind: 'replication', bucket: change.bucket, config },
        needs: [
          `versioning|${change.bucket}`,
          ...destinations.flatMap((d) => [`bucket|${d}`, `versioning|${d}`, `object-lock|${d}`]),
          ...keyNeeds,
          ...roleNeeds,
        ],
      };
    }
    case 'create-bucket': {
      const { bucket, region } = change;
      return {
        resource: `bucket ${bucket}`,
        resourceType: 'bucket',
        resourceArn: arns.bucket(region, bucket),
        accountId: change.accountId,
        region,
        operations: [
          {
            service: 's3api',
            name: 'CreateBucket',
            region,
            input: {
              Bucket: bucket,
              ...(region !== 'us-east-1'
                ? { CreateBucketConfiguration: { LocationConstraint: region } }
                : {}),
              ...(change.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
            },
          },
        ],
        summary: `Create bucket ${bucket} in ${region} (${change.regionChoice})${change.objectLock ? ', with Object Lock' : ''}.`,
        final: { kind: 'create-bucket', change },
        needs: [],
      };
    }
    case 'key-state': {
      const id = change.keyArn.slice(change.keyArn.lastIndexOf('/') + 1);
      const ops: Operation[] = [
        ...(change.from === 'PendingDeletion'
          ? [
              {
                service: 'kms' as const,
                name: 'CancelKeyDeletion',
                region: change.region,
                input: { KeyId: id },
              },
            ]
          : []),
        { service: 'kms', name: 'EnableKey', region: change.region, input: { KeyId: id } },
      ];
      return {
        resource: `key ${change.keyArn}`,
        resourceType: 'key-state',
        resourceArn: change.keyArn,
        accountId: change.accountId,
        region: change.region,
        operations: ops,
        summary: `${change.from === 'PendingDeletion' ? 'Cancel the scheduled deletion of' : 'Re-enable'} key ${change.keyArn}${change.from === 'PendingDeletion' ? ' and enable it' : ''}.`,
        final: { kind: 'key-state', keyArn: change.keyArn },
        needs: [],
      };
    }
    case 'create-key': {
      const keyArn = plannedKeyArn(change.region, change.accountId, change.alias);
      const folded = ctx.planned.get(
        holderKey({ kind: 'key-policy', keyArn, accountId: change.accountId, region: change.region }),
      );
      const additions = folded?.kind === 'policy' ? (folded.add ?? []) : [];
      const policy = withoutPlaceholders(
        plannedDocument(
          { Version: '2012-10-17', Statement: [defaultKeyPolicyStatement(change.region, change.accountId)] },
          additions,
          [],
        ),
      );
      const create: Operation = {
        service: 'kms',
        name: 'CreateKey',
        region: change.region,
        input: { Description: change.description, Policy: json(policy) },
      };
      const alias: Operation = {
        service: 'kms',
        name: 'CreateAlias',
        region: change.region,
        input: { AliasName: change.alias, TargetKeyId: '<KeyId of the new key>' },
      };
      const describe: Operation = {
        service: 'kms',
        name: 'DescribeKey',
        region: change.region,
        input: { KeyId: change.alias },
      };
      const command = `${cliCommand(describe)} >/dev/null 2>&1 || ${cliCommand({
        ...alias,
        input: { AliasName: change.alias },
      })} --target-key-id "$(${cliCommand(create)} --query KeyMetadata.KeyId --output text)"`;
      return {
        resource: `KMS key ${change.alias}`,
        resourceType: 'kms-key',
        resourceArn: arns.alias(change.region, change.accountId, change.alias),
        accountId: change.accountId,
        region: change.region,
        operations: [create, alias],
        command,
        summary: `Create a customer managed key in account ${change.accountId}, ${change.region}, named ${change.alias} (${change.description}), unless that alias exists; its key policy lets the account's IAM policies grant it${additions.length ? ' and names the replication role' : ''}.`,
        final: { kind: 'create-key', change, keyArn, policy },
        needs: [],
      };
    }
    case 'create-role': {
      const trust = plannedDocument(null, change.trust, []);
      return {
        resource: `role ${change.roleName}`,
        resourceType: 'role',
        resourceArn: change.roleArn,
        accountId: change.accountId,
        region: ctx.defaultRegion,
        operations: [
          {
            service: 'iam',
            name: 'CreateRole',
            input: { RoleName: change.roleName, AssumeRolePolicyDocument: json(trust) },
          },
        ],
        summary: `Create role ${change.roleName}, trusted by S3.`,
        final: { kind: 'create-role', change, trust },
        needs: [],
      };
    }
    case 'alarm': {
      const a = change.alarm;
      const dimensions = Object.entries(a.dimensions).map(([Name, Value]) => ({ Name, Value }));
      const topicNeeds = [...ctx.planned.values()]
        .filter((c) => c.kind === 'topic' && a.actions.includes(arns.topic(c.region, c.accountId, c.name)))
        .map((c) => resourceKeyOf(c) ?? '');
      return {
        resource: `CloudWatch alarm ${a.name}`,
        resourceType: 'alarm',
        resourceArn: `arn:${partitionOf(change.region)}:cloudwatch:${change.region}:${change.accountId}:alarm:${a.name}`,
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 'cloudwatch',
            name: 'PutMetricAlarm',
            region: change.region,
            input: {
              AlarmName: a.name,
              AlarmDescription: 'ReplGuard: the replication backlog has not drained for 30 minutes',
              Namespace: 'AWS/S3',
              MetricName: a.metricName,
              Dimensions: dimensions,
              Statistic: 'Maximum',
              Period: 300,
              EvaluationPeriods: 6,
              DatapointsToAlarm: 6,
              Threshold: 0,
              ComparisonOperator: 'GreaterThanThreshold',
              TreatMissingData: 'notBreaching',
              AlarmActions: [...a.actions],
            },
          },
        ],
        summary: `Alarm ${a.name} on ${a.metricName} of the pair (notifies ${a.actions.join(', ')}); tune the threshold to the write rate.`,
        final: {
          kind: 'alarm',
          accountId: change.accountId,
          region: change.region,
          alarm: {
            name: a.name,
            arn: '',
            actionsEnabled: true,
            alarmActions: [...a.actions],
            metrics: [{ namespace: 'AWS/S3', name: a.metricName, dimensions: { ...a.dimensions } }],
          },
        },
        needs: topicNeeds,
      };
    }
    case 'alarm-actions':
      return {
        resource: `the actions of alarm ${change.alarmName}`,
        resourceType: 'alarm-actions',
        resourceArn: `arn:${partitionOf(change.region)}:cloudwatch:${change.region}:${change.accountId}:alarm:${change.alarmName}`,
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 'cloudwatch',
            name: 'EnableAlarmActions',
            region: change.region,
            input: { AlarmNames: [change.alarmName] },
          },
        ],
        summary: `Enable the actions of alarm ${change.alarmName}.`,
        final: {
          kind: 'alarm-actions',
          accountId: change.accountId,
          region: change.region,
          name: change.alarmName,
        },
        needs: [],
      };
    case 'topic': {
      const arn = arns.topic(change.region, change.accountId, change.name);
      const policy = {
        Version: '2012-10-17',
        Statement: change.publishers.map((bucketArn, i) => ({
          Sid: `S3Publish${i + 1}`,
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: arn,
          Condition: {
            ArnLike: { 'aws:SourceArn': bucketArn },
            StringEquals: { 'aws:SourceAccount': change.accountId },
          },
        })),
      };
      const ops: Operation[] = [
        { service: 'sns', name: 'CreateTopic', region: change.region, input: { Name: change.name } },
        ...(change.publishers.length
          ? [
              {
                service: 'sns' as const,
                name: 'SetTopicAttributes',
                region: change.region,
                input: { TopicArn: arn, AttributeName: 'Policy', AttributeValue: json(policy) },
              },
            ]
          : []),
      ];
      return {
        resource: `SNS topic ${change.name}`,
        resourceType: 'sns-topic',
        resourceArn: arn,
        accountId: change.accountId,
        region: change.region,
        operations: ops,
        summary: `Create SNS topic ${change.name} (or keep it when it exists)${change.publishers.length ? ' and let S3 publish to it from the buckets' : ''}.`,
        final: { kind: 'topic' },
        needs: [],
      };
    }
    case 'notification': {
      const bucket = world.bucket(change.bucket);
      const read = bucket?.notifications;
      if (!read?.known) return { blocked: `the event notifications of ${change.bucket} could not be read` };
      if (!read.value.configuration && read.value.targets.length > 0)
        return {
          blocked: `the event notifications of ${change.bucket} came from an AWS Config item, without their ids and filters (run replguard scan to read them live)`,
        };
      const configuration = notificationConfiguration(read.value.configuration ?? {}, change);
      const notifications: BucketNotifications = {
        ...read.value,
        configuration,
        targets: [
          ...read.value.targets.filter((t) => !(t.type === 'sns' && t.arn === change.topicArn)),
          { type: 'sns', arn: change.topicArn, events: [...change.events] },
        ],
      };
      const topicNeeds = [...ctx.planned.values()]
        .filter((c) => c.kind === 'topic' && arns.topic(c.region, c.accountId, c.name) === change.topicArn)
        .map((c) => resourceKeyOf(c) ?? '');
      return {
        resource: `the event notifications of ${change.bucket}`,
        resourceType: 'bucket-notifications',
        resourceArn: arns.bucket(change.region, change.bucket),
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 's3api',
            name: 'PutBucketNotificationConfiguration',
            region: change.region,
            input: { Bucket: change.bucket, NotificationConfiguration: configuration },
          },
        ],
        summary: `Write the event notifications of ${change.bucket}: every configuration as it is, plus ${change.events.join(', ')} to ${change.topicArn}.`,
        final: { kind: 'notification', bucket: change.bucket, notifications },
        needs: topicNeeds,
      };
    }
    case 'trail-selectors': {
      const trail = world.trail(change.trailArn);
      const raw = trail?.selectors;
      if (!raw?.known)
        return { blocked: `the event selectors of trail ${change.trailName} could not be read` };
      const next = selectorsWith(raw.value, change.selector.buckets, change.region);
      return {
        resource: `the event selectors of trail ${change.trailName}`,
        resourceType: 'trail-event-selectors',
        resourceArn: change.trailArn,
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 'cloudtrail',
            name: 'PutEventSelectors',
            region: change.region,
            input: { TrailName: change.trailArn, ...next },
          },
        ],
        summary: `Write the event selectors of trail ${change.trailName}: every selector as it is, plus S3 data events (reads and writes) of ${change.selector.buckets.join(', ')}.`,
        final: {
          kind: 'trail-selectors',
          trailArn: change.trailArn,
          selectors: normaliseSelectors(next as Parameters<typeof normaliseSelectors>[0]),
        },
        needs: [],
      };
    }
    case 'trail-logging':
      return {
        resource: `trail ${change.trailName}`,
        resourceType: 'trail-logging',
        resourceArn: change.trailArn,
        accountId: change.accountId,
        region: change.region,
        operations: [
          {
            service: 'cloudtrail',
            name: 'StartLogging',
            region: change.region,
            input: { Name: change.trailArn },
          },
        ],
        summary: `Start logging on trail ${change.trailName}.`,
        final: { kind: 'trail-logging', trailArn: change.trailArn },
        needs: [],
      };
    case 'backfill':
      return renderBackfill(ctx, change);
    case 'decision':
      return { blocked: change.text };
  }
};

/** Kinds of change that can stop objects from replicating (monitoring changes cannot). */
const BLOCKING_KINDS: ReadonlySet<Change['kind']> = new Set([
  'policy',
  'versioning',
  'encryption',
  'object-lock',
  'replication',
  'create-bucket',
  'key-state',
  'create-key',
  'create-role',
]);

/** The backfill command: `replguard backfill` (docs/backfill.md), after every change replication needs. */
export const backfillCommand = (change: Extract<Change, { kind: 'backfill' }>): string =>
  [
    'replguard backfill',
    `--bucket ${change.bucket}`,
    `--statuses ${change.statuses.join(',')}`,
    ...(change.ruleIds.length === 1 ? [`--rule ${change.ruleIds[0] as string}`] : []),
    `--region ${change.region}`,
    '--yes',
  ].join(' ');

const renderBackfill = (ctx: StepContext, change: Extract<Change, { kind: 'backfill' }>): Rendered => {
  const replication = ctx.world.bucket(change.bucket)?.replication;
  const rules = replication?.known ? (replication.value?.rules ?? []) : [];
  const pair = new Set([change.bucket, ...rules.map((r) => r.destination.bucket)]);
  const bucketOf = (c: Change): string | undefined =>
    'bucket' in c && typeof c.bucket === 'string'
      ? c.bucket
      : c.kind === 'policy' && c.holder.kind === 'bucket-policy'
        ? c.holder.bucket
        : undefined;
  const needs = [...ctx.planned].flatMap(([key, c]) => {
    if (!BLOCKING_KINDS.has(c.kind)) return [];
    const b = bucketOf(c);
    return b === undefined || pair.has(b) ? [key] : [];
  });
  return {
    resource: `the objects of ${change.bucket} that never replicated`,
    resourceType: 'batch-replication-job',
    resourceArn: arns.bucket(change.region, change.bucket),
    accountId: change.accountId,
    region: change.region,
    operations: [],
    command: backfillCommand(change),
    summary: `Copy the ${change.statuses.join(' and ')} objects of ${change.bucket}${change.ruleIds.length === 1 ? ` (rule ${change.ruleIds[0] as string})` : ''} with an S3 Batch Replication job, once replication works again.`,
    final: { kind: 'backfill', change },
    needs,
  };
};

/**
 * One step per resource: the merged changes rendered from what was read. Key policies of keys the plan
 * creates are folded into the creation. Steps that cannot be rendered safely are returned as blocked.
 */
export const buildSteps = (
  changes: readonly Change[],
  world: World,
  defaultRegion: string,
): { steps: Step[]; blocked: Blocked[] } => {
  const planned = groupChanges(changes);
  const ctx: StepContext = { world, planned, defaultRegion };
  const steps: Step[] = [];
  const blocked: Blocked[] = [];
  for (const [key, change] of planned) {
    if (
      change.kind === 'policy' &&
      change.holder.kind === 'key-policy' &&
      isPlannedKeyArn(change.holder.keyArn)
    )
      continue; // folded into the key's creation
    const out = render(ctx, change);
    if ('blocked' in out) {
      blocked.push({ key, change, why: out.blocked });
      continue;
    }
    steps.push({
      key,
      rank: rankOf(change),
      change,
      ...out,
      command: out.command ?? cliSequence(out.operations),
    });
  }
  return { steps: orderSteps(steps), blocked };
};

/** Steps in dependency order: what a step needs comes first; ties by rank, then resource key. */
export const orderSteps = (steps: readonly Step[]): Step[] => {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const sorted = [...steps].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: Step[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (s: Step) => {
    if (placed.has(s.key) || visiting.has(s.key)) return;
    visiting.add(s.key);
    for (const need of s.needs) {
      const dep = byKey.get(need);
      if (dep && dep.key !== s.key) visit(dep);
    }
    visiting.delete(s.key);
    placed.add(s.key);
    out.push(s);
  };
  for (const s of sorted) visit(s);
  return out;
};

export type { Statement };
