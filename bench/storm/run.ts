/**
 * Storm benchmark for onReplicationFailure: 100,000 s3:Replication:OperationFailedReplication events over 20
 * buckets and 5 failure reasons (100 distinct aggregates).
 *
 * 1. Pure: the handler's own read-and-aggregate step (`readMessages`: SQS body → JSON → SNS unwrap → zod
 *    validation → aggregation) over all events, on one core. Target ≥ 50,000 events/s.
 * 2. Publishing, against the emulator: the whole handler (diagnosis of the 20 source buckets, previous counts
 *    from Security Hub, findings pipeline, SNS → SQS) in SQS batches. Target: SNS messages = aggregates.
 *
 *   npx tsx bench/storm/run.ts [--events 100000] [--buckets 20] [--batch 1000] [--rounds 5] [--endpoint URL] [--pure-only]
 *
 * Writes bench/results/storm.{json,md}.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { replicationFailureHandler } from '../../shared/handlers/replicationFailure.js';
import { configFromEnv } from '../../shared/runtime/config.js';
import { makeRuntime } from '../../shared/runtime/deps.js';
import { readMessages } from '../../shared/triggers/replicationEvents.js';
import { createObservability } from '../../shared/middleware/observability.js';
import { derivedAccount, scenario } from '../../test/scenarios/builder.js';
import { batches, STORM_REASONS, type StormPair, stormRecords } from './events.js';
import { stormMarkdown, type StormResult } from './report.js';
import { countDelivered, publishingWorld } from './world.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    buckets: { type: 'string', default: '20' },
    batch: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    endpoint: { type: 'string' },
    'pure-only': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const BUCKETS = Number(values.buckets);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);
const TARGET_EVENTS_PER_SECOND = 50_000;
/** End to end with publishing, Security Hub's documented request rates applied (issue 9). */
const TARGET_PUBLISHING_EVENTS_PER_SECOND = 1_000;
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Pure aggregation: every round reads and aggregates all events (wall and CPU time). */
const pure = () => {
  const pairs: StormPair[] = Array.from({ length: BUCKETS }, (_, i) => ({
    bucket: `phi-src-${String(i).padStart(2, '0')}`,
    destinationBucket: `phi-dr-${String(i).padStart(2, '0')}`,
    ruleId: 'to-dr',
    accountId: '111111111111',
  }));
  const records = stormRecords(pairs, EVENTS);
  const obs = createObservability('bench');
  const rounds: { wallMs: number; cpuMs: number; aggregates: number; aggregated: number }[] = [];
  readMessages({ obs }, { Records: records.slice(0, 2_000) }); // warm-up (JIT)
  for (let r = 0; r < ROUNDS; r++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const batch = readMessages({ obs }, { Records: records });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    rounds.push({
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      aggregates: batch.aggregator.size,
      aggregated: batch.aggregator.eventsAggregated,
    });
  }
  const wall = median(rounds.map((r) => r.wallMs));
  const cpu = median(rounds.map((r) => r.cpuMs));
  return {
    events: EVENTS,
    aggregates: rounds[0]?.aggregates ?? 0,
    eventsAggregated: rounds[0]?.aggregated ?? 0,
    rounds: rounds.map((r) => ({ wallMs: Number(r.wallMs.toFixed(1)), cpuMs: Number(r.cpuMs.toFixed(1)) })),
    medianWallMs: Number(wall.toFixed(1)),
    eventsPerSecond: Math.round(EVENTS / (wall / 1000)),
    bestEventsPerSecond: Math.round(EVENTS / (Math.min(...rounds.map((r) => r.wallMs)) / 1000)),
    // CPU time is what one core spends, whatever else the machine runs at the same time.
    eventsPerCpuSecond: Math.round(EVENTS / (cpu / 1000)),
    targetEventsPerSecond: TARGET_EVENTS_PER_SECOND,
  };
};

/** The whole handler against the emulator. */
const publishing = async () => {
  const { startEmulator } = (await import('../../test/emulator/server.js')) as {
    startEmulator: () => Promise<{ endpoint: string; stop: () => Promise<void> }>;
  };
  const emulator = values.endpoint
    ? { endpoint: values.endpoint, stop: async () => undefined }
    : await startEmulator();
  try {
    const env = await scenario(emulator.endpoint, { account: derivedAccount(`bench/storm/${Date.now()}`) });
    process.stderr.write(`building ${BUCKETS} replicated pairs…\n`);
    const world = await publishingWorld(env, BUCKETS);
    const factory = env.clientFactory();
    const config = { ...configFromEnv({}), sinks: { securityHub: true, topicArn: world.topicArn } };
    const handle = replicationFailureHandler(
      makeRuntime({ name: 'onReplicationFailure', factory: () => factory, config: () => config }),
    );
    const events = batches(stormRecords(world.pairs, EVENTS), BATCH);
    const latencies: number[] = [];
    let failedMessages = 0;
    const started = performance.now();
    for (const [i, batch] of events.entries()) {
      const t = performance.now();
      failedMessages += (await handle(batch)).batchItemFailures.length;
      latencies.push(performance.now() - t);
      if ((i + 1) % 10 === 0) process.stderr.write(`  ${i + 1}/${events.length} batches\n`);
    }
    const wallMs = performance.now() - started;
    const delivered = await countDelivered(world);
    const findings = await world.findings();
    return {
      events: EVENTS,
      batchSize: BATCH,
      invocations: events.length,
      failedMessages,
      aggregates: BUCKETS * STORM_REASONS.length,
      snsMessagesPublished: delivered.messages,
      transitions: delivered.transitions,
      findingsInSecurityHub: findings.length,
      eventsCountedInFindings: findings.reduce(
        (n, f) => n + Number(f.ProductFields?.['replguard/details/count'] ?? 0),
        0,
      ),
      wallSeconds: Number((wallMs / 1000).toFixed(1)),
      eventsPerSecond: Math.round(EVENTS / (wallMs / 1000)),
      medianBatchMs: Math.round(median(latencies)),
      maxBatchMs: Math.round(Math.max(...latencies)),
      apiCalls: factory.counter.snapshot(),
      targetEventsPerSecond: TARGET_PUBLISHING_EVENTS_PER_SECOND,
    };
  } finally {
    await emulator.stop();
  }
};

const main = async () => {
  const result: StormResult = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`,
    loadBefore: load(),
    pure: pure(),
    ...(values['pure-only'] ? {} : { publishing: await publishing() }),
    loadAfter: load(),
  };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('storm.json', dir), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(new URL('storm.md', dir), stormMarkdown(result));
  process.stdout.write(stormMarkdown(result));
  const ok =
    result.pure.eventsPerSecond >= TARGET_EVENTS_PER_SECOND &&
    (!result.publishing ||
      (result.publishing.snsMessagesPublished === result.publishing.aggregates &&
        result.publishing.eventsCountedInFindings === result.publishing.events &&
        result.publishing.eventsPerSecond >= TARGET_PUBLISHING_EVENTS_PER_SECOND &&
        result.publishing.failedMessages === 0));
  process.exitCode = ok ? 0 : 1;
};

await main();
