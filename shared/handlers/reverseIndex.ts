/**
 * Which buckets a role, a KMS key or a bucket change affects: a reverse index over every bucket of an
 * account (all Regions: ListBuckets is global), built from their replication configurations, scope tags and
 * default encryption keys, and cached per account for a few minutes. onConfigChange re-evaluates only what
 * the index names, and refreshes a bucket's entry when its replication configuration changes.
 */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ServiceId } from '../aws/endpoint.js';
import { readScopeFacts, s3In } from '../collect/liveSnapshot.js';
import { readBucketRegion, readEncryption } from '../collect/readers/s3.js';
import { readKey } from '../collect/readers/kms.js';
import type { ScanSession } from '../collect/session.js';
import { mapLimit } from '../engine/scan.js';
import { keyIdOf } from '../events/cloudTrail.js';
import type { ReplicationConfiguration, ScanParameters } from '../model/snapshot.js';

export interface BucketEntry {
  readonly bucket: string;
  readonly region: string;
  /** Carries the scope tag. */
  readonly tagged: boolean;
  /** `null`: no replication configuration; `undefined`: it could not be read. */
  readonly replication: ReplicationConfiguration | null | undefined;
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

export class ReverseIndex {
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

  /** In scope: a replication configuration, or the scope tag; a bucket whose configuration is unreadable counts as in scope (fail closed). */
  isInScope(bucket: string): boolean {
    const e = this.#entries.get(bucket);
    return e !== undefined && (e.replication !== null || e.tagged);
  }

  /** In scope only because it carries the tag while it receives replicas: not failed for lacking its own replication. */
  isReplicaOnly(bucket: string): boolean {
    const e = this.#entries.get(bucket);
    return e !== undefined && e.replication === null && this.sourcesReplicatingTo(bucket).length > 0;
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

/** The entry of one bucket, read live. */
export const readBucketEntry = async (
  session: ScanSession,
  accountId: string,
  bucket: string,
  tag: ScanParameters['scopeTag'],
): Promise<BucketEntry | null> => {
  const home = await s3In(session, accountId, session.factory.region);
  const located = await session.once(`region|${accountId}|${bucket}`, () => readBucketRegion(home, bucket));
  if (located.known && located.value === null) return null;
  const region = located.known && located.value ? located.value : session.factory.region;
  const [facts, encryption] = await Promise.all([
    readScopeFacts(session, accountId, bucket, region),
    s3In(session, accountId, region).then((s3) => readEncryption(s3, bucket)),
  ]);
  const enc = encryption.known ? encryption.value : null;
  const defaultKey =
    enc && enc.algorithm.startsWith('aws:kms') ? (enc.kmsKeyId ?? 'alias/aws/s3') : undefined;
  return {
    bucket,
    region,
    tagged: facts.tags.known && facts.tags.value[tag.key] === tag.value,
    replication: facts.replication.known ? facts.replication.value : undefined,
    ...(defaultKey ? { defaultKey } : {}),
  };
};

/** Builds the index of every bucket of `accountId` (8 buckets read at a time). */
export const buildReverseIndex = async (
  session: ScanSession,
  accountId: string,
  now: number,
): Promise<ReverseIndex> => {
  const s3 = await session.factory.clientIn(S3Client, ServiceId.S3, accountId);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ ...(token ? { ContinuationToken: token } : {}) }));
    names.push(...(page.Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean));
    token = page.ContinuationToken;
  } while (token);
  const entries = await mapLimit(names, 8, (name) =>
    readBucketEntry(session, accountId, name, session.parameters.scopeTag),
  );
  return new ReverseIndex(
    accountId,
    entries.filter((e): e is BucketEntry => e !== null),
    now,
  );
};

/** Key id of a reference through DescribeKey (memoised by the session); undefined when it cannot be read. */
export const keyResolverFor =
  (session: ScanSession): KeyResolver =>
  async (use) => {
    const key = await readKey(session, use);
    return key.known && key.value ? key.value.keyId : undefined;
  };

/** Default lifetime of a cached index. */
export const INDEX_TTL_MS = 5 * 60_000;

/** Reverse indexes per account, rebuilt when older than `ttlMs` (one per warm Lambda container). */
export class ReverseIndexCache {
  readonly #indexes = new Map<string, Promise<ReverseIndex>>();

  constructor(readonly ttlMs = INDEX_TTL_MS) {}

  async get(session: ScanSession, accountId: string, now: number): Promise<ReverseIndex> {
    const cached = this.#indexes.get(accountId);
    if (cached) {
      const index = await cached.catch(() => undefined);
      if (index && now - index.builtAt < this.ttlMs) return index;
    }
    const building = buildReverseIndex(session, accountId, now);
    this.#indexes.set(accountId, building);
    building.catch(() => this.#indexes.delete(accountId));
    return building;
  }

  /** Re-reads one bucket's entry (its replication changed); removes it when the bucket is gone. */
  async refresh(session: ScanSession, index: ReverseIndex, bucket: string): Promise<void> {
    const entry = await readBucketEntry(session, index.accountId, bucket, session.parameters.scopeTag);
    if (entry) index.upsert(entry);
    else index.remove(bucket);
  }
}
