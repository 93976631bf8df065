/**
 * A plan applied to copies of the snapshots: each step's final state written where the snapshot holds that
 * resource (a bucket as source or destination, a role, a key, a trail, an alarm). The catalog then judges
 * the copies as it would judge the account after the commands ran.
 */
import { DataSource, known, type Datum } from '../model/datum.js';
import { arns } from '../model/partition.js';
import type { DestinationBucket, KeyInfo, RoleInfo, Snapshot, SourceBucket } from '../model/snapshot.js';
import type { Final, Step } from './steps.js';

const planned = <T>(value: T): Datum<T> => known(value, DataSource.Derived);

type Bucketish = SourceBucket | DestinationBucket;

const mapBuckets = (s: Snapshot, name: string, edit: (b: Bucketish) => Partial<Bucketish>): Snapshot => ({
  ...s,
  source: s.source.name === name ? ({ ...s.source, ...edit(s.source) } as SourceBucket) : s.source,
  destinations: Object.fromEntries(
    Object.entries(s.destinations).map(([arn, d]) => [
      arn,
      d.name === name && d.exists.known && d.exists.value ? ({ ...d, ...edit(d) } as DestinationBucket) : d,
    ]),
  ),
});

const mapRoles = (s: Snapshot, arn: string, edit: (r: RoleInfo) => RoleInfo): Snapshot => ({
  ...s,
  roles: Object.fromEntries(
    Object.entries(s.roles).map(([k, d]) => [
      k,
      k === arn && d.known && d.value ? planned(edit(d.value)) : d,
    ]),
  ),
});

const mapKeys = (s: Snapshot, keyArn: string, edit: (k: KeyInfo) => KeyInfo): Snapshot => ({
  ...s,
  keys: Object.fromEntries(
    Object.entries(s.keys).map(([k, d]) => [
      k,
      d.known && d.value?.keyArn === keyArn ? planned(edit(d.value)) : d,
    ]),
  ),
});

/** Once the job ran, the rules' FAILED and never-replicated objects are replicas. */
const backfilled = (s: Snapshot, ruleIds: readonly string[]): Snapshot => {
  if (!s.objects?.known || !s.objects.value) return s;
  const stats = s.objects.value;
  const byRule = Object.fromEntries(
    Object.entries(stats.byRule).map(([id, c]) =>
      ruleIds.length === 0 || ruleIds.includes(id)
        ? [id, { ...c, failed: 0, missing: 0, completed: c.completed + c.failed + c.missing }]
        : [id, c],
    ),
  );
  return { ...s, objects: planned({ ...stats, byRule }) };
};

const applyFinal = (s: Snapshot, f: Final): Snapshot => {
  switch (f.kind) {
    case 'policy': {
      const h = f.change.holder;
      switch (h.kind) {
        case 'bucket-policy':
          return mapBuckets(s, h.bucket, () => ({ policy: planned(f.doc) }));
        case 'key-policy':
          return mapKeys(s, h.keyArn, (k) => ({ ...k, policy: planned(f.doc) }));
        case 'trust-policy':
          return mapRoles(s, h.roleArn, (r) => ({ ...r, trustPolicy: f.doc }));
        case 'role-inline-policy':
          return mapRoles(s, h.roleArn, (r) => ({
            ...r,
            inlinePolicies: [
              ...r.inlinePolicies.filter((p) => p.name !== h.policyName),
              { name: h.policyName, document: f.doc },
            ],
          }));
        case 'managed-policy':
          return {
            ...s,
            roles: Object.fromEntries(
              Object.entries(s.roles).map(([k, d]) => {
                if (!d.known || !d.value) return [k, d];
                const r = d.value;
                const swap = <P extends { arn?: string }>(p: P): P =>
                  p.arn === h.policyArn ? { ...p, document: f.doc } : p;
                const touched =
                  r.managedPolicies.some((p) => p.arn === h.policyArn) ||
                  r.permissionsBoundary?.arn === h.policyArn;
                return [
                  k,
                  touched
                    ? planned({
                        ...r,
                        managedPolicies: r.managedPolicies.map(swap),
                        ...(r.permissionsBoundary
                          ? { permissionsBoundary: swap(r.permissionsBoundary) }
                          : {}),
                      })
                    : d,
                ];
              }),
            ),
          };
      }
      return s;
    }
    case 'versioning':
      return mapBuckets(s, f.bucket, () => ({ versioning: planned('Enabled' as const) }));
    case 'encryption':
      return mapBuckets(s, f.bucket, () => ({
        encryption: planned({ algorithm: 'aws:kms', kmsKeyId: f.keyId, bucketKeyEnabled: f.bucketKey }),
      }));
    case 'object-lock':
      return mapBuckets(s, f.bucket, () => ({
        objectLock: planned({
          enabled: true,
          ...(f.change.retention ? { defaultRetention: { ...f.change.retention } } : {}),
        }),
      }));
    case 'replication':
      return s.source.name === f.bucket
        ? { ...s, source: { ...s.source, replication: planned(f.config) } }
        : s;
    case 'create-bucket': {
      const c = f.change;
      const arn = arns.bucket(c.region, c.bucket);
      const bucket: DestinationBucket = {
        name: c.bucket,
        arn,
        accountId: c.accountId,
        exists: planned(true),
        region: planned(c.region),
        // Object Lock at creation turns versioning on; new buckets default to SSE-S3.
        versioning: planned(c.objectLock ? 'Enabled' : 'Off'),
        encryption: planned({ algorithm: 'AES256', bucketKeyEnabled: false }),
        objectLock: planned(c.objectLock ? { enabled: true } : null),
        policy: planned(null),
      };
      return { ...s, destinations: { ...s.destinations, [arn]: bucket } };
    }
    case 'key-state':
      return mapKeys(s, f.keyArn, (k) => ({ ...k, state: 'Enabled' }));
    case 'create-key': {
      const c = f.change;
      const info: KeyInfo = {
        ref: c.alias,
        keyArn: f.keyArn,
        keyId: f.keyArn.slice(f.keyArn.lastIndexOf('/') + 1),
        accountId: c.accountId,
        region: c.region,
        state: 'Enabled',
        manager: 'CUSTOMER',
        policy: planned(f.policy),
      };
      return {
        ...s,
        keys: {
          ...s.keys,
          [arns.alias(c.region, c.accountId, c.alias)]: planned(info),
          [f.keyArn]: planned(info),
        },
      };
    }
    case 'create-role': {
      const c = f.change;
      const existing = s.roles[c.roleArn];
      if (existing?.known && existing.value) return s;
      return {
        ...s,
        roles: {
          ...s.roles,
          [c.roleArn]: planned({
            arn: c.roleArn,
            name: c.roleName,
            accountId: c.accountId,
            trustPolicy: f.trust,
            inlinePolicies: [],
            managedPolicies: [],
          }),
        },
      };
    }
    case 'alarm':
      if (s.source.accountId !== f.accountId || s.source.region !== f.region || !s.alarms.known) return s;
      return { ...s, alarms: planned([...s.alarms.value.filter((a) => a.name !== f.alarm.name), f.alarm]) };
    case 'alarm-actions':
      if (s.source.accountId !== f.accountId || s.source.region !== f.region || !s.alarms.known) return s;
      return {
        ...s,
        alarms: planned(s.alarms.value.map((a) => (a.name === f.name ? { ...a, actionsEnabled: true } : a))),
      };
    case 'topic':
      return s;
    case 'backfill':
      return s.source.name === f.change.bucket ? backfilled(s, f.change.ruleIds) : s;
    case 'notification':
      return s.source.name === f.bucket
        ? { ...s, source: { ...s.source, notifications: planned(f.notifications) } }
        : s;
    case 'trail-selectors':
    case 'trail-logging':
      return {
        ...s,
        trails: Object.fromEntries(
          Object.entries(s.trails).map(([scope, d]) => [
            scope,
            d.known
              ? planned(
                  d.value.map((t) =>
                    t.arn !== f.trailArn
                      ? t
                      : f.kind === 'trail-logging'
                        ? { ...t, isLogging: planned(true) }
                        : { ...t, s3DataEvents: planned(f.selectors) },
                  ),
                )
              : d,
          ]),
        ),
      };
  }
};

/** The snapshot as it would be once every step ran, in order. */
export const applySteps = (snapshot: Snapshot, steps: readonly Step[]): Snapshot =>
  steps.reduce((s, step) => applyFinal(s, step.final), snapshot);

const bucketsOf = (s: Snapshot): string[] => [
  s.source.name,
  ...Object.values(s.destinations).map((d) => d.name),
];

/** True when a step changes something this snapshot holds (only those snapshots are judged again). */
export const affects = (step: Step, s: Snapshot): boolean => {
  const f = step.final;
  switch (f.kind) {
    case 'policy': {
      const h = f.change.holder;
      if (h.kind === 'bucket-policy') return bucketsOf(s).includes(h.bucket);
      if (h.kind === 'key-policy')
        return Object.values(s.keys).some((d) => d.known && d.value?.keyArn === h.keyArn);
      if (h.kind === 'managed-policy')
        return Object.values(s.roles).some(
          (d) =>
            d.known &&
            d.value &&
            (d.value.managedPolicies.some((p) => p.arn === h.policyArn) ||
              d.value.permissionsBoundary?.arn === h.policyArn),
        );
      return h.roleArn in s.roles;
    }
    case 'versioning':
    case 'encryption':
    case 'object-lock':
    case 'notification':
      return bucketsOf(s).includes(f.bucket);
    case 'replication':
      return s.source.name === f.bucket;
    case 'create-bucket':
      return bucketsOf(s).includes(f.change.bucket);
    case 'key-state':
      return Object.values(s.keys).some((d) => d.known && d.value?.keyArn === f.keyArn);
    case 'create-key':
      return JSON.stringify([s.source.replication, s.source.encryption]).includes(f.change.alias);
    case 'create-role':
      return f.change.roleArn in s.roles;
    case 'alarm':
    case 'alarm-actions':
      return s.source.accountId === f.accountId && s.source.region === f.region;
    case 'topic':
      return false;
    case 'backfill':
      return s.source.name === f.change.bucket;
    case 'trail-selectors':
    case 'trail-logging':
      return Object.values(s.trails).some((d) => d.known && d.value.some((t) => t.arn === f.trailArn));
  }
};
