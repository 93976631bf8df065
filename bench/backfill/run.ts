/**
 * Backfill benchmark (issue 12's targets), against the emulator:
 * - sample detection: the replication status of a source with 1,000 object versions (ListObjectVersions +
 *   1,000 HeadObject), target ≤ 2 s per bucket;
 * - backfill planning from a 100,000-object S3 Inventory report (download, gunzip, parse, count per rule,
 *   judge, build the CreateJob request), target ≤ 5 s; plus the same parse and count in memory (no I/O).
 *
 *   npx tsx bench/backfill/run.ts [--objects 1000] [--inventory 100000] [--rounds 3] [--endpoint URL]
 *
 * Writes bench/results/backfill.{json,md}, with the machine's load average.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { PutBucketInventoryConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createJobRequest, defaultRoleArn } from '../../shared/backfill/request.js';
import { inventoryRows, ObjectCounter } from '../../shared/collect/normalise/objectStatus.js';
import { collectSnapshot } from '../../shared/collect/liveSnapshot.js';
import { DEFAULT_PARAMETERS, type ReplicationRule } from '../../shared/model/snapshot.js';
import { replicationBacklogObjects } from '../../shared/rules/replication_backlog_objects.js';
import { derivedAccount, scenario, type Scenario } from '../../test/scenarios/builder.js';
import { HEALTHY } from '../../test/scenarios/catalog/types.js';
import { emulatorFor } from '../emulator.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TARGET_SAMPLE_S = 2;
const TARGET_PLAN_S = 5;
const SCHEMA = 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, LastModifiedDate, ReplicationStatus';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    inventory: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    endpoint: { type: 'string' },
  },
});
const objects = Number(values.objects);
const inventorySize = Number(values.inventory);
const rounds = Number(values.rounds);

const emulator = () => emulatorFor(values.endpoint);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const out = await fn();
  return [out, (performance.now() - started) / 1000];
};

/** `n` inventory rows: a third never replicated, a few FAILED, the rest COMPLETED. */
const inventoryCsv = (bucket: string, n: number): string =>
  Array.from({ length: n }, (_, i) => {
    const status = i % 3 === 0 ? '' : i % 97 === 0 ? 'FAILED' : 'COMPLETED';
    return `"${bucket}","records/${String(i).padStart(7, '0')}.json","v${i}","true","false","2026-11-0${1 + (i % 9)}T00:00:00.000Z","${status}"`;
  }).join('\n');

const sampleRun = async (env: Scenario) => {
  const path = await env.replicatedPair({
    name: 'bench-sample',
    ...HEALTHY,
    destinationVersioning: 'Suspended',
  });
  const s3 = env.clients(path.source.account).s3;
  const keys = Array.from({ length: objects }, (_, i) => `scans/${String(i).padStart(5, '0')}.dcm`);
  for (let i = 0; i < keys.length; i += 50)
    await Promise.all(
      keys
        .slice(i, i + 50)
        .map((Key) => s3.send(new PutObjectCommand({ Bucket: path.source.name, Key, Body: 'x' }))),
    );
  const { drainReplication } = await import('../../test/emulator/server.js');
  await drainReplication(env.endpoint, 120_000);
  const seconds: number[] = [];
  let examined = 0;
  for (let r = 0; r < rounds; r++) {
    const session = env.session({}, { ...DEFAULT_PARAMETERS, objectSampleSize: objects });
    const source = await collectSnapshot(session, path.source.name);
    // time the object reads alone: a second collect would reuse nothing of them
    const { readObjectStats } = await import('../../shared/collect/readers/objects.js');
    const { s3In } = await import('../../shared/collect/liveSnapshot.js');
    const client = await s3In(session, path.source.account, path.source.region);
    const rules = source.source.replication.known ? (source.source.replication.value?.rules ?? []) : [];
    const [stats, s] = await timed(() =>
      readObjectStats({
        s3: client,
        bucket: path.source.name,
        rules,
        sampleSize: objects,
        now: Date.now(),
        inventoryClient: async () => client,
      }),
    );
    if (!stats.known || !stats.value) throw new Error('the sample could not be read');
    examined = stats.value.examined;
    seconds.push(s);
  }
  return { objects, examined, seconds: seconds.map((s) => Number(s.toFixed(3))), median: median(seconds) };
};

const planRun = async (env: Scenario) => {
  const path = await env.replicatedPair({ name: 'bench-inventory', ...HEALTHY });
  const reports = await env.bucket({ name: env.uniqueName('bench-inventory-reports') });
  const s3 = env.clients(path.source.account).s3;
  await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: path.source.name,
      Id: 'daily',
      InventoryConfiguration: {
        Id: 'daily',
        IsEnabled: true,
        IncludedObjectVersions: 'All',
        Schedule: { Frequency: 'Daily' },
        OptionalFields: ['LastModifiedDate', 'ReplicationStatus'],
        Destination: { S3BucketDestination: { Bucket: reports.arn, Format: 'CSV', Prefix: 'inv' } },
      },
    }),
  );
  const csv = inventoryCsv(path.source.name, inventorySize);
  const base = `inv/${path.source.name}/daily`;
  const files = 4;
  const lines = csv.split('\n');
  const per = Math.ceil(lines.length / files);
  for (let f = 0; f < files; f++)
    await s3.send(
      new PutObjectCommand({
        Bucket: reports.name,
        Key: `${base}/data/${f}.csv.gz`,
        Body: gzipSync(lines.slice(f * per, (f + 1) * per).join('\n')),
      }),
    );
  await s3.send(
    new PutObjectCommand({
      Bucket: reports.name,
      Key: `${base}/2026-12-01T01-00Z/manifest.json`,
      Body: JSON.stringify({
        fileFormat: 'CSV',
        fileSchema: SCHEMA,
        files: Array.from({ length: files }, (_, f) => ({ key: `${base}/data/${f}.csv.gz` })),
        creationTimestamp: String(Date.parse('2026-12-01T01:00:00Z')),
      }),
    }),
  );
  const seconds: number[] = [];
  let missing = 0;
  for (let r = 0; r < rounds; r++) {
    const [, s] = await timed(async () => {
      const snapshot = await collectSnapshot(env.session(), path.source.name);
      const [result] = replicationBacklogObjects.evaluate(snapshot);
      if (result?.status !== 'NON_COMPLIANT') throw new Error(`expected a backlog, got ${result?.status}`);
      missing = Number(result.details?.missing ?? 0);
      createJobRequest({
        accountId: snapshot.source.accountId,
        region: snapshot.source.region,
        bucket: snapshot.source.name,
        statuses: ['FAILED', 'NONE'],
        roleArn: defaultRoleArn(snapshot.source.accountId, snapshot.source.region),
        idempotencyScope: 'bench',
      });
    });
    seconds.push(s);
  }
  // the parse and count alone, in memory
  const rule: ReplicationRule = {
    id: 'all',
    status: 'Enabled',
    filter: { prefix: '' },
    destination: { bucket: 'dr', bucketArn: 'arn:aws:s3:::dr' },
  };
  const memory: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [, s] = await timed(() => {
      const counter = new ObjectCounter([rule], Date.now());
      for (const row of inventoryRows(csv, SCHEMA)) counter.add(row);
      return counter.counts();
    });
    memory.push(s);
  }
  return {
    objects: inventorySize,
    neverReplicated: missing,
    seconds: seconds.map((s) => Number(s.toFixed(3))),
    median: median(seconds),
    inMemoryMedian: median(memory),
  };
};

const main = async () => {
  const { endpoint, stop } = await emulator();
  const loadBefore = loadavg();
  let sample;
  let plan;
  try {
    const env = await scenario(endpoint, { account: derivedAccount(`bench/backfill/${Date.now()}`) });
    sample = await sampleRun(env);
    plan = await planRun(env);
  } finally {
    await stop();
  }
  const out = {
    benchmark: 'backfill',
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: cpus().length,
      loadavg: { before: loadBefore, after: loadavg() },
    },
    targets: { sampleSecondsPerBucket: TARGET_SAMPLE_S, planSeconds: TARGET_PLAN_S },
    sample,
    plan,
  };
  const md = `# Backfill benchmark

${out.date}, Node ${out.machine.node}, ${out.machine.platform}, ${out.machine.cpus} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} before and ${out.machine.loadavg.after.map((l) => l.toFixed(2)).join(' / ')} after (1/5/15 min), against the moto emulator. Median of ${rounds} rounds.

| measure | size | median (s) | rounds (s) | target (s) |
|---|---:|---:|---:|---:|
| sample detection (ListObjectVersions + HeadObject) | ${sample.objects} versions (${sample.examined} examined) | ${sample.median.toFixed(3)} | ${sample.seconds.join(', ')} | ≤ ${TARGET_SAMPLE_S} |
| backfill planning from an inventory report (collect, count, judge, CreateJob request) | ${plan.objects} objects (${plan.neverReplicated} never replicated) | ${plan.median.toFixed(3)} | ${plan.seconds.join(', ')} | ≤ ${TARGET_PLAN_S} |
| the report's parse and count alone, in memory | ${plan.objects} rows | ${plan.inMemoryMedian.toFixed(3)} | | |
`;
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('backfill.json', dir), `${JSON.stringify(out, null, 2)}\n`);
  await writeFile(new URL('backfill.md', dir), md);
  process.stdout.write(md);
  if (sample.median > TARGET_SAMPLE_S || plan.median > TARGET_PLAN_S) process.exitCode = 1;
};

await main();
