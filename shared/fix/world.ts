/**
 * What a scan read, across its snapshots, looked up by resource: the current state every fix step starts
 * from (read-modify-write). A resource seen from several snapshots (a shared role or DR bucket) was read
 * once per scan, so any snapshot's copy is the current state.
 */
import type { Datum } from '../model/datum.js';
import type {
  AlarmInfo,
  BucketEncryption,
  BucketNotifications,
  KeyInfo,
  NamedPolicy,
  ObjectLockInfo,
  PolicyDocument,
  ReplicationConfiguration,
  RoleInfo,
  Snapshot,
  TrailInfo,
  VersioningStatus,
} from '../model/snapshot.js';

/** A bucket as the scan saw it, source or destination. */
export interface BucketView {
  readonly name: string;
  readonly accountId: string;
  readonly region?: string;
  readonly exists: boolean;
  readonly versioning: Datum<VersioningStatus>;
  readonly encryption: Datum<BucketEncryption | null>;
  readonly objectLock: Datum<ObjectLockInfo | null>;
  readonly policy: Datum<PolicyDocument | null>;
  /** Only for sources. */
  readonly notifications?: Datum<BucketNotifications>;
  readonly replication?: Datum<ReplicationConfiguration | null>;
}

export class World {
  constructor(readonly snapshots: readonly Snapshot[]) {}

  bucket(name: string): BucketView | undefined {
    for (const s of this.snapshots)
      if (s.source.name === name)
        return {
          ...s.source,
          exists: true,
          notifications: s.source.notifications,
          replication: s.source.replication,
        };
    for (const s of this.snapshots)
      for (const d of Object.values(s.destinations))
        if (d.name === name && d.exists.known && d.exists.value)
          return { ...d, region: d.region.known ? d.region.value : undefined, exists: true };
    for (const s of this.snapshots)
      for (const d of Object.values(s.destinations))
        if (d.name === name)
          return { ...d, region: d.region.known ? d.region.value : undefined, exists: false };
    return undefined;
  }

  role(arn: string): RoleInfo | null | undefined {
    for (const s of this.snapshots) {
      const d = s.roles[arn];
      if (d?.known) return d.value;
    }
    return undefined;
  }

  /** A customer managed policy (attached or boundary) of any role read. */
  managedPolicy(arn: string): NamedPolicy | undefined {
    for (const s of this.snapshots)
      for (const d of Object.values(s.roles)) {
        if (!d.known || !d.value) continue;
        const found = [
          ...d.value.managedPolicies,
          ...(d.value.permissionsBoundary ? [d.value.permissionsBoundary] : []),
        ].find((p) => p.arn === arn);
        if (found) return found;
      }
    return undefined;
  }

  key(arn: string): KeyInfo | undefined {
    for (const s of this.snapshots)
      for (const d of Object.values(s.keys)) if (d.known && d.value && d.value.keyArn === arn) return d.value;
    return undefined;
  }

  trail(arn: string): TrailInfo | undefined {
    for (const s of this.snapshots)
      for (const d of Object.values(s.trails))
        if (d.known) {
          const t = d.value.find((x) => x.arn === arn);
          if (t) return t;
        }
    return undefined;
  }

  alarms(accountId: string, region: string): readonly AlarmInfo[] {
    const s = this.snapshots.find((x) => x.source.accountId === accountId && x.source.region === region);
    return s?.alarms.known ? s.alarms.value : [];
  }
}
