/**
 * Which buckets a role, a KMS key or a bucket change affects, and which sources replicate into a bucket: an
 * index over every bucket of an account (all Regions), built from their replication configurations, scope
 * tags and default encryption keys (shared/collect/replicationIndex.ts reads them). Pure: it only answers
 * from its entries. Scope decisions take their "receives replicas" evidence from here.
 */
import type { Datum } from '../model/datum.js';
import { keyIdOf, type ReplicationConfiguration } from '../model/snapshot.js';

export interface BucketEntry {
  readonly bucket: string;
  readonly region: string;
  /** Carries the scope tag. */
  readonly tagged: boolean;
  /** `null`: no replication configuration; `undefined`: it could not be read. */
  readonly replication: ReplicationConfiguration | null | undefined;
  /** The scope facts as read (a scope decision from the index needs no read of its own). */
  readonly facts?: {
    readonly replication: Datum<ReplicationConfiguration | null>;
    readonly tags: Datum<Readonly<Record<string, string>>>;
  };
  /** The default encryption KMS key reference, when the bucket has one. */
  readonly defaultKey?: string;
}

/** A KMS key reference with where it is used (bare ids and alias names resolve there). */
interface KeyUse {
  readonly ref: string;
  readonly region: string;
  readonly accountId: string;
  /** The bucket whose evaluation the key matters to. */
  readonly bucket: string;
}

const roleNameOf = (arn: string): string => arn.split('/').pop() ?? arn;

/** Resolves a key reference (alias or not) to its key id; injected so the index stays testable. */
export type KeyResolver = (use: {
  ref: string;
  region: string;
  accountId: string;
}) => Promise<string | undefined>;

export class ReplicationIndex {
  readonly #entries: Map<string, BucketEntry>;

  constructor(
    readonly accountId: string,
    entries: Iterable<BucketEntry>,
    readonly builtAt: number,
  ) {
    this.#entries = new Map([...entries].map((e) => [e.bucket, e]));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Every bucket, sorted by name. */
  entries(): BucketEntry[] {
    return [...this.#entries.values()].sort((a, b) =>
      a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0,
    );
  }

  entry(bucket: string): BucketEntry | undefined {
    return this.#entries.get(bucket);
  }

  upsert(entry: BucketEntry): void {
    this.#entries.set(entry.bucket, entry);
  }

  remove(bucket: string): void {
    this.#entries.delete(bucket);
  }

  /** Buckets that could not be read (their replication is unknown): the index cannot place them. */
  unreadable(): string[] {
    return [...this.#entries.values()].filter((e) => e.replication === undefined).map((e) => e.bucket);
  }

  /** Source buckets whose replication configuration names `role` (an ARN or a role name). */
  sourcesUsingRole(role: string): string[] {
    const name = roleNameOf(role);
    return [...this.#entries.values()]
      .filter(
        (e) => e.replication && (e.replication.role === role || roleNameOf(e.replication.role) === name),
      )
      .map((e) => e.bucket);
  }

  /** Source buckets with a replication rule whose destination is `bucket`. */
  sourcesReplicatingTo(bucket: string): string[] {
    return [...this.#entries.values()]
      .filter((e) => e.replication?.rules.some((r) => r.destination.bucket === bucket))
      .map((e) => e.bucket);
  }

  /** Every place a key is used: each bucket's default key, each rule's replica key (where the destination is). */
  #keyUses(): KeyUse[] {
    const uses: KeyUse[] = [];
    for (const e of this.#entries.values()) {
      if (e.defaultKey)
        uses.push({ ref: e.defaultKey, region: e.region, accountId: this.accountId, bucket: e.bucket });
      for (const rule of e.replication?.rules ?? []) {
        const ref = rule.destination.replicaKmsKeyId;
        if (!ref) continue;
        const dst = this.#entries.get(rule.destination.bucket);
        uses.push({
          ref,
          region: dst?.region ?? e.region,
          accountId: rule.destination.account ?? this.accountId,
          bucket: e.bucket,
        });
      }
    }
    return uses;
  }

  /**
   * Buckets a change to key `keyId` affects: those that use it (default encryption, replica key) plus, for
   * a destination's default key, the sources replicating into that destination. Aliases are resolved.
   */
  async bucketsUsingKey(keyId: string, resolve: KeyResolver): Promise<string[]> {
    const out = new Set<string>();
    for (const use of this.#keyUses()) {
      const isAlias = use.ref.startsWith('alias/') || use.ref.includes(':alias/');
      const id = isAlias ? await resolve(use) : keyIdOf(use.ref);
      if (id !== keyId) continue;
      out.add(use.bucket);
      for (const source of this.sourcesReplicatingTo(use.bucket)) out.add(source);
    }
    return [...out];
  }
}
