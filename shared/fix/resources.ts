/**
 * Which resource a change modifies (its key), how two changes of one resource merge into one, and the
 * order resources are changed in (what must exist or be enabled first).
 */
import type { Change, PolicyHolder, RetentionSpec } from '../model/fix.js';

export const holderKey = (h: PolicyHolder): string => {
  switch (h.kind) {
    case 'bucket-policy':
      return `bucket-policy|${h.bucket}`;
    case 'key-policy':
      return `key-policy|${h.keyArn}`;
    case 'trust-policy':
      return `trust-policy|${h.roleArn}`;
    case 'role-inline-policy':
      return `role-inline-policy|${h.roleArn}|${h.policyName}`;
    case 'managed-policy':
      return `managed-policy|${h.policyArn}`;
  }
};

/** The resource a change modifies: changes with the same key become one step. Decisions have none. */
export const resourceKeyOf = (c: Change): string | undefined => {
  switch (c.kind) {
    case 'policy':
      return holderKey(c.holder);
    case 'versioning':
    case 'encryption':
    case 'object-lock':
    case 'replication':
    case 'notification':
      return `${c.kind}|${c.bucket}`;
    case 'create-bucket':
      return `bucket|${c.bucket}`;
    case 'key-state':
      return `key-state|${c.keyArn}`;
    case 'create-key':
      return `key|${c.accountId}|${c.region}|${c.alias}`;
    case 'create-role':
      return `role|${c.roleArn}`;
    case 'alarm':
      return `alarm|${c.accountId}|${c.region}|${c.alarm.name}`;
    case 'alarm-actions':
      return `alarm-actions|${c.accountId}|${c.region}|${c.alarmName}`;
    case 'topic':
      return `topic|${c.accountId}|${c.region}|${c.name}`;
    case 'trail-selectors':
    case 'trail-logging':
      return `${c.kind}|${c.trailArn}`;
    case 'backfill':
      return `backfill|${c.bucket}`;
    case 'decision':
      return undefined;
  }
};

/** Earlier ranks are applied first: what must exist, then what must be on, then documents, then wiring. */
export const rankOf = (c: Change): number => {
  switch (c.kind) {
    case 'create-bucket':
    case 'create-key':
    case 'create-role':
    case 'topic':
      return 0;
    case 'versioning':
    case 'key-state':
    case 'trail-logging':
      return 1;
    case 'object-lock':
    case 'encryption':
      return 2;
    case 'policy':
      return c.holder.kind === 'role-inline-policy' || c.holder.kind === 'managed-policy' ? 3 : 2;
    case 'notification':
      return 3;
    case 'replication':
      return 4;
    case 'alarm':
    case 'alarm-actions':
    case 'trail-selectors':
      return 5;
    case 'backfill':
      return 8;
    case 'decision':
      return 9;
  }
};

const MODE_STRENGTH = { GOVERNANCE: 1, COMPLIANCE: 2 } as const;
const daysOf = (r: RetentionSpec): number => (r.days ?? 0) + (r.years ?? 0) * 365;

/** The stricter of two retentions (mode first, then period). */
const stricter = (a: RetentionSpec | undefined, b: RetentionSpec | undefined): RetentionSpec | undefined => {
  if (!a || !b) return a ?? b;
  if (MODE_STRENGTH[a.mode] !== MODE_STRENGTH[b.mode])
    return MODE_STRENGTH[a.mode] > MODE_STRENGTH[b.mode] ? a : b;
  return daysOf(a) >= daysOf(b) ? a : b;
};

const union = <T>(a: readonly T[], b: readonly T[]): T[] => {
  const seen = new Map<string, T>();
  for (const x of [...a, ...b]) seen.set(JSON.stringify(x), x);
  return [...seen.values()];
};

/**
 * Two changes of the same resource as one. Callers merge in a canonical order (sorted), so the outcome does
 * not depend on which rule asked first.
 */
export const mergeChanges = (a: Change, b: Change): Change => {
  if (a.kind !== b.kind) return a;
  switch (a.kind) {
    case 'policy': {
      const o = b as typeof a;
      return { ...a, add: union(a.add ?? [], o.add ?? []), exempt: union(a.exempt ?? [], o.exempt ?? []) };
    }
    case 'replication': {
      const o = b as typeof a;
      return {
        ...a,
        patches: union(a.patches ?? [], o.patches ?? []),
        additions: union(a.additions ?? [], o.additions ?? []),
      };
    }
    case 'object-lock': {
      const o = b as typeof a;
      const retention = stricter(a.retention, o.retention);
      return { ...a, ...(retention ? { retention } : {}) };
    }
    case 'encryption': {
      const o = b as typeof a;
      return { ...(a.keyId <= o.keyId ? a : o), bucketKey: a.bucketKey || o.bucketKey };
    }
    case 'create-bucket': {
      const o = b as typeof a;
      return { ...a, objectLock: a.objectLock || o.objectLock };
    }
    case 'alarm': {
      const o = b as typeof a;
      return { ...a, alarm: { ...a.alarm, actions: union(a.alarm.actions, o.alarm.actions).sort() } };
    }
    case 'topic': {
      const o = b as typeof a;
      return { ...a, publishers: union(a.publishers, o.publishers).sort() };
    }
    case 'notification': {
      const o = b as typeof a;
      return { ...a, events: union(a.events, o.events).sort() };
    }
    case 'trail-selectors': {
      const o = b as typeof a;
      return { ...a, selector: { buckets: union(a.selector.buckets, o.selector.buckets).sort() } };
    }
    case 'backfill': {
      const o = b as typeof a;
      return {
        ...a,
        ruleIds: union(a.ruleIds, o.ruleIds).sort(),
        statuses: union(a.statuses, o.statuses).sort(),
      };
    }
    default:
      return a;
  }
};
