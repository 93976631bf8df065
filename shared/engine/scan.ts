import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ServiceId } from '../aws/endpoint.js';
import { CollectError } from '../collect/errors.js';
import { collectSnapshot, readScopeFacts } from '../collect/liveSnapshot.js';
import { bucketNameFromArn } from '../collect/normalise/s3Api.js';
import { readBucketRegion } from '../collect/readers/s3.js';
import type { ScanSession } from '../collect/session.js';
import type { Snapshot } from '../model/snapshot.js';
import type { RuleResult } from '../rules/types.js';
import { evaluateSnapshot } from './evaluate.js';

export interface ScanError {
  readonly bucket: string;
  readonly code: string;
  readonly message: string;
}

export interface ScanReport {
  readonly accountId: string;
  readonly results: RuleResult[];
  readonly errors: ScanError[];
  readonly snapshots: Snapshot[];
}

export interface ScanRequest {
  /** Buckets to scan; with `all` every in-scope bucket of the account is added. */
  readonly buckets?: readonly string[];
  readonly all?: boolean;
  /** Called after each bucket (progress reporting). */
  readonly onProgress?: (done: number, total: number, bucket: string) => void;
  /** How many buckets are collected at once. */
  readonly concurrency?: number;
}

interface Target {
  readonly bucket: string;
  readonly replicaOnly: boolean;
}

/**
 * The buckets in scope for `--all`: every bucket with a replication configuration, plus every bucket
 * carrying the scope tag. A tagged bucket that is only a replica destination is marked so, and is not
 * failed for lacking its own replication.
 */
export const discoverInScope = async (session: ScanSession, accountId: string): Promise<Target[]> => {
  const s3 = session.factory.client(S3Client, ServiceId.S3);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ ...(token ? { ContinuationToken: token } : {}) }));
    names.push(...(page.Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean));
    token = page.ContinuationToken;
  } while (token);
  const { key, value } = session.parameters.scopeTag;
  const facts = await mapLimit(names, 8, async (bucket) => {
    const region = await session.once(`region|${accountId}|${bucket}`, () => readBucketRegion(s3, bucket));
    const where = region.known && region.value ? region.value : session.factory.region;
    return { bucket, ...(await readScopeFacts(session, accountId, bucket, where)) };
  });
  const destinations = new Set(
    facts.flatMap((f) =>
      f.replication.known
        ? (f.replication.value?.rules ?? []).map((r) => bucketNameFromArn(r.destination.bucket))
        : [],
    ),
  );
  return facts
    .filter(
      (f) =>
        !f.replication.known || f.replication.value !== null || (f.tags.known && f.tags.value[key] === value),
    )
    .map((f) => ({
      bucket: f.bucket,
      replicaOnly: f.replication.known && f.replication.value === null && destinations.has(f.bucket),
    }));
};

/** Scans buckets: collect a snapshot each, evaluate every rule. Missing buckets become errors, not exceptions. */
export const scan = async (session: ScanSession, request: ScanRequest): Promise<ScanReport> => {
  const accountId = await session.factory.homeAccountId();
  const explicit = (request.buckets ?? []).map((bucket) => ({ bucket, replicaOnly: false }));
  const discovered = request.all ? await discoverInScope(session, accountId) : [];
  const seen = new Set(explicit.map((t) => t.bucket));
  const targets = [...explicit, ...discovered.filter((t) => !seen.has(t.bucket))];
  const results: RuleResult[] = [];
  const errors: ScanError[] = [];
  const snapshots: Snapshot[] = [];
  let done = 0;
  await mapLimit(targets, request.concurrency ?? 8, async (target) => {
    try {
      const snapshot = await collectSnapshot(session, target.bucket, {
        accountId,
        isReplicaDestinationOnly: target.replicaOnly,
      });
      snapshots.push(snapshot);
      results.push(...evaluateSnapshot(snapshot));
    } catch (error) {
      if (!(error instanceof CollectError)) throw error;
      errors.push({ bucket: target.bucket, code: error.code, message: error.message });
    }
    request.onProgress?.(++done, targets.length, target.bucket);
  });
  const order = new Map(targets.map((t, i) => [t.bucket, i]));
  results.sort((a, b) => (order.get(a.bucket) ?? 0) - (order.get(b.bucket) ?? 0));
  return { accountId, results, errors, snapshots };
};

/** Maps with at most `limit` promises in flight, keeping input order. */
export const mapLimit = async <T, U>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<U>,
): Promise<U[]> => {
  const out = new Array<U>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};
