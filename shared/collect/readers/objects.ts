/**
 * The replication status of a source's objects, never their content: from the latest S3 Inventory report
 * that carries `ReplicationStatus` (exact as of its date), else from a bounded sample of object versions
 * (ListObjectVersions, then HeadObject per version). Object keys are only matched against rule prefixes in
 * memory; none is kept, logged or returned.
 */
import { gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type InventoryConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type Datum, known } from '../../model/datum.js';
import type { ObjectReplicationStats, ReplicationRule } from '../../model/snapshot.js';
import {
  judgedByKey,
  ObjectCounter,
  inventoryRows,
  parseInventoryManifest,
  type ObjectStatusRow,
} from '../normalise/objectStatus.js';
import { errorToDatum, safeRead } from '../safeRead.js';
import { versionHeads } from './versionHeads.js';

/** HeadObject calls in flight per bucket. */
export const HEAD_CONCURRENCY = 32;
const LIST_PAGE = 1000;

/** Where the objects' statuses are read: the source's client, and a client for the inventory's bucket. */
export interface ObjectReadContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly rules: readonly ReplicationRule[];
  readonly sampleSize: number;
  readonly now: number;
  /** A client that can read the inventory destination bucket (`accountId` when the configuration names one). */
  readonly inventoryClient: (bucket: string, accountId: string | undefined) => Promise<S3Client>;
}

const bucketOfArn = (arn: string): string => arn.replace(/^arn:[^:]+:s3:::/, '');

/** An inventory configuration that reports replication statuses as CSV. */
const usable = (c: InventoryConfiguration): boolean =>
  c.IsEnabled === true &&
  (c.OptionalFields ?? []).includes('ReplicationStatus') &&
  c.Destination?.S3BucketDestination?.Format === 'CSV' &&
  !c.Filter?.Prefix;

/** `<prefix>/<source>/<config id>/YYYY-MM-DDTHH-MMZ/manifest.json`: the newest dated folder. */
const latestManifestKey = async (s3: S3Client, bucket: string, base: string): Promise<string | undefined> => {
  let latest: string | undefined;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }),
    );
    for (const p of page.CommonPrefixes ?? [])
      if (p.Prefix && /\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z\/$/.test(p.Prefix) && (!latest || p.Prefix > latest))
        latest = p.Prefix;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return latest ? `${latest}manifest.json` : undefined;
};

const bodyOf = async (s3: S3Client, bucket: string, key: string): Promise<Buffer> => {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
};

/** Counts from one inventory report (every CSV file its manifest lists), or why none could be used. */
const fromInventory = async (
  ctx: ObjectReadContext,
): Promise<{ readonly stats?: ObjectReplicationStats; readonly note: string }> => {
  const listed = await safeRead(
    async () => {
      const configs: InventoryConfiguration[] = [];
      let token: string | undefined;
      do {
        const page = await ctx.s3.send(
          new ListBucketInventoryConfigurationsCommand({ Bucket: ctx.bucket, ContinuationToken: token }),
        );
        configs.push(...(page.InventoryConfigurationList ?? []));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return configs;
    },
    { permission: 's3:GetInventoryConfiguration' },
  );
  if (!listed.known) return { note: `inventory configurations unreadable (${listed.reason})` };
  const config = listed.value.find(usable);
  if (!config) return { note: 'no enabled CSV inventory of the whole bucket reports ReplicationStatus' };
  const dest = config.Destination?.S3BucketDestination;
  const bucket = bucketOfArn(dest?.Bucket ?? '');
  const base = `${dest?.Prefix ? `${dest.Prefix.replace(/\/$/, '')}/` : ''}${ctx.bucket}/${config.Id}/`;
  try {
    const s3 = await ctx.inventoryClient(bucket, dest?.AccountId);
    const manifestKey = await latestManifestKey(s3, bucket, base);
    if (!manifestKey) return { note: `inventory ${config.Id} has delivered no report yet` };
    const manifest = parseInventoryManifest((await bodyOf(s3, bucket, manifestKey)).toString('utf8'));
    const counter = new ObjectCounter(ctx.rules, ctx.now);
    for (const file of manifest.files) {
      const raw = await bodyOf(s3, bucket, file.key);
      const text = (file.key.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      for (const row of inventoryRows(text, manifest.fileSchema)) counter.add(row);
    }
    const stamp = Number(manifest.creationTimestamp);
    return {
      note: '',
      stats: {
        method: 'inventory',
        exact: true,
        examined: counter.examined,
        byRule: counter.counts(),
        unjudged: unjudged(ctx.rules),
        asOf: new Date(Number.isFinite(stamp) && stamp > 0 ? stamp : ctx.now).toISOString(),
      },
    };
  } catch (error) {
    const why = errorToDatum<never>(error, { permission: 's3:GetObject' });
    return why.known
      ? { note: 'inventory report unreadable' }
      : { note: `inventory report unreadable (${why.reason})` };
  }
};

const unjudged = (rules: readonly ReplicationRule[]): string[] =>
  rules.filter((r) => r.status === 'Enabled' && !judgedByKey(r)).map((r) => r.id);

/** Runs `work` over `items`, `limit` at a time. */
const pool = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

/** Up to `sampleSize` object versions (delete markers excluded), and whether that was all of them. */
const listVersions = async (ctx: ObjectReadContext) => {
  const versions: { key: string; versionId: string | undefined; lastModified: number | undefined }[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  let complete = false;
  while (versions.length < ctx.sampleSize) {
    const page = await ctx.s3.send(
      new ListObjectVersionsCommand({
        Bucket: ctx.bucket,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
        MaxKeys: Math.min(LIST_PAGE, ctx.sampleSize - versions.length),
      }),
    );
    for (const v of page.Versions ?? [])
      if (v.Key !== undefined)
        versions.push({
          key: v.Key,
          versionId: v.VersionId,
          lastModified: v.LastModified?.getTime(),
        });
    if (!page.IsTruncated) {
      complete = true;
      break;
    }
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  return { versions: versions.slice(0, ctx.sampleSize), complete };
};

/** Counts from a sample: each listed version's status from HeadObject (metadata only, never content). */
const fromSample = async (ctx: ObjectReadContext, note: string): Promise<Datum<ObjectReplicationStats>> => {
  const listed = await safeRead(() => listVersions(ctx), { permission: 's3:ListBucketVersions' });
  if (!listed.known) return listed;
  const counter = new ObjectCounter(ctx.rules, ctx.now);
  const covered = (key: string) =>
    ctx.rules.some((r) => r.status === 'Enabled' && judgedByKey(r) && key.startsWith(r.filter.prefix ?? ''));
  const head = versionHeads(ctx.s3, ctx.bucket);
  const heads = await safeRead(
    () =>
      pool(listed.value.versions, HEAD_CONCURRENCY, async (v) => {
        const row: ObjectStatusRow = { key: v.key, status: undefined, lastModified: v.lastModified };
        // Versions no rule covers need no HeadObject: they are counted as examined only.
        if (!covered(v.key)) return counter.add(row);
        counter.add({ ...row, status: await head(v.key, v.versionId) });
      }),
    { permission: 's3:GetObjectVersion' },
  );
  if (!heads.known) return heads;
  return known({
    method: 'sample',
    exact: listed.value.complete,
    examined: counter.examined,
    byRule: counter.counts(),
    unjudged: unjudged(ctx.rules),
    asOf: new Date(ctx.now).toISOString(),
    ...(note ? { inventoryNote: note } : {}),
  });
};

/**
 * The replication status of a source's objects: `null` when none is examined (no enabled rule, or
 * objectSampleSize 0, which turns the check off).
 */
export const readObjectStats = async (
  ctx: ObjectReadContext,
): Promise<Datum<ObjectReplicationStats | null>> => {
  if (ctx.sampleSize <= 0 || !ctx.rules.some((r) => r.status === 'Enabled')) return known(null);
  const inventory = await fromInventory(ctx);
  return inventory.stats ? known(inventory.stats) : fromSample(ctx, inventory.note);
};
