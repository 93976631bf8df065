/**
 * Reads what the replication index holds (shared/scope/replicationIndex.ts) for every bucket of an account:
 * its Region, replication configuration and tags (the scope facts, memoised by the session, so a scan that
 * built the index reads them once), and with `keys` its default encryption key. Cached per account for a few
 * minutes in a warm function; a bucket's entry is refreshed when its replication configuration changes.
 */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ServiceId } from '../aws/endpoint.js';
import { mapLimit } from '../support/concurrency.js';
import { type BucketEntry, type KeyResolver, ReplicationIndex } from '../scope/replicationIndex.js';
import { locateBucket, readScopeFacts, readSourceEncryption, rememberBucketRegion } from './liveSnapshot.js';
import { readKey } from './readers/kms.js';
import type { ScanSession } from './session.js';

export interface IndexOptions {
  /** Also read each bucket's default encryption key (for KMS key changes). Default true. */
  readonly keys?: boolean;
}

/** Buckets per ListBuckets page (S3's maximum). */
const LIST_PAGE = 10_000;

/** Which buckets an index holds: every bucket of the account, or (a sweep shard's) those of one Region. */
export interface IndexScope {
  readonly region?: string;
}

/**
 * The names of every bucket of `accountId` (ListBuckets is global: all Regions), or with `scope.region` of those in
 * that Region (and any whose Region the listing did not give). Each bucket's Region, which ListBuckets returns, is
 * remembered for the session: locating a listed bucket then makes no call.
 */
export const listBuckets = async (
  session: ScanSession,
  accountId: string,
  scope: IndexScope = {},
): Promise<string[]> => {
  const s3 = await session.factory.clientIn(S3Client, ServiceId.S3, accountId);
  const names: string[] = [];
  let token: string | undefined;
  do {
    // MaxBuckets asks for a paginated listing, the form in which S3 returns each bucket's BucketRegion
    const page = await s3.send(
      new ListBucketsCommand({ MaxBuckets: LIST_PAGE, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const { Name, BucketRegion } of page.Buckets ?? []) {
      // S3 answers a `BucketRegion` filter only at that Region's endpoint: the listing is filtered here instead
      if (!Name || (scope.region && BucketRegion && BucketRegion !== scope.region)) continue;
      names.push(Name);
      if (BucketRegion) rememberBucketRegion(session, accountId, Name, BucketRegion);
    }
    token = page.ContinuationToken;
  } while (token);
  return names;
};

/** The entry of one bucket, read live; `null` when the bucket does not exist. */
export const readBucketEntry = async (
  session: ScanSession,
  accountId: string,
  bucket: string,
  options: IndexOptions = {},
): Promise<BucketEntry | null> => {
  const located = await locateBucket(session, accountId, bucket);
  if (located.known && located.value === null) return null;
  const region = located.known && located.value ? located.value : session.factory.region;
  const [facts, encryption] = await Promise.all([
    readScopeFacts(session, accountId, bucket, region),
    options.keys === false ? undefined : readSourceEncryption(session, accountId, bucket, region),
  ]);
  const enc = encryption?.known ? encryption.value : null;
  const defaultKey =
    enc && enc.algorithm.startsWith('aws:kms') ? (enc.kmsKeyId ?? 'alias/aws/s3') : undefined;
  const { key, value } = session.parameters.scopeTag;
  return {
    bucket,
    region,
    tagged: facts.tags.known && facts.tags.value[key] === value,
    facts,
    replication: facts.replication.known ? facts.replication.value : undefined,
    ...(defaultKey ? { defaultKey } : {}),
  };
};

/** Builds the index of every bucket of `accountId`, or of those in `scope.region` (8 buckets read at a time). */
export const buildReplicationIndex = async (
  session: ScanSession,
  accountId: string,
  now: number,
  options: IndexOptions = {},
  scope: IndexScope = {},
): Promise<ReplicationIndex> => {
  const names = await listBuckets(session, accountId, scope);
  const entries = await mapLimit(names, 8, (name) => readBucketEntry(session, accountId, name, options));
  return new ReplicationIndex(
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

/** Replication indexes per account, rebuilt when older than `ttlMs` (one per warm Lambda container). */
export class ReplicationIndexCache {
  readonly #indexes = new Map<string, Promise<ReplicationIndex>>();

  constructor(
    readonly ttlMs = INDEX_TTL_MS,
    readonly options: IndexOptions = {},
  ) {}

  async get(
    session: ScanSession,
    accountId: string,
    now: number,
    scope: IndexScope = {},
  ): Promise<ReplicationIndex> {
    // an index of one Region never stands in for the account's
    const key = `${accountId}|${scope.region ?? '*'}`;
    const cached = this.#indexes.get(key);
    if (cached) {
      const index = await cached.catch(() => undefined);
      if (index && now - index.builtAt < this.ttlMs) return index;
    }
    const building = buildReplicationIndex(session, accountId, now, this.options, scope);
    this.#indexes.set(key, building);
    building.catch(() => this.#indexes.delete(key));
    return building;
  }

  /** Re-reads one bucket's entry (its replication changed); removes it when the bucket is gone. */
  async refresh(session: ScanSession, index: ReplicationIndex, bucket: string): Promise<void> {
    const entry = await readBucketEntry(session, index.accountId, bucket, this.options);
    if (entry) index.upsert(entry);
    else index.remove(bucket);
  }
}
