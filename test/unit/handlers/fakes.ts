/**
 * A runtime for pure unit tests of the handlers: snapshots come from fixtures (not AWS) through a fake
 * collector, findings go to an in-memory state sink (the real ASFF mapping both ways, so it behaves like
 * Security Hub) plus recording alert and evaluation sinks, and logs are captured (to assert what is and is
 * not logged).
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { vi } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import type { Collector } from '../../../shared/collect/collector.js';
import { CollectError } from '../../../shared/collect/errors.js';
import { known } from '../../../shared/model/datum.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { DEFAULT_PARAMETERS, type Snapshot } from '../../../shared/model/snapshot.js';
import { toAsff } from '../../../shared/publish/asff.js';
import { previousFromAsff, resultFromAsff } from '../../../shared/publish/asffState.js';
import type {
  EvaluationDelivery,
  FindingItem,
  Sink,
  StateQuery,
} from '../../../shared/publish/sinks/index.js';
import { type RuntimeConfig } from '../../../shared/runtime/config.js';
import { makeRuntime, type Runtime } from '../../../shared/runtime/deps.js';
import { type BucketEntry, ReplicationIndex } from '../../../shared/scope/replicationIndex.js';

export const HOME = '111111111111';

/** Everything the sinks saw. */
export interface Recorded {
  /** State reads (one per Region and run). */
  readonly reads: StateQuery[];
  /** Findings recorded, per publish. */
  readonly writes: FindingItem[][];
  /** Transitions announced, per publish. */
  readonly alerts: FindingItem[][];
  readonly evaluations: EvaluationDelivery[];
}

export interface Fakes {
  readonly rt: Runtime;
  readonly recorded: Recorded;
  /** What is stored, by finding id (seed it to give findings a previous state). */
  readonly store: Map<string, AwsSecurityFinding>;
  /** Buckets whose snapshot was collected. */
  readonly collected: string[];
  /** Everything written to stdout and stderr (logs, EMF metrics) since the fakes were made. */
  readonly output: () => string;
  /** The results of every finding recorded so far (latest write last). */
  readonly results: () => RuleResult[];
}

export const fakeFactory = (home = HOME): ClientFactory =>
  ({
    region: 'us-east-1',
    homeAccountId: async () => home,
    crossAccountRoleName: 'ReplGuardReadOnly',
  }) as unknown as ClientFactory;

const entryOf = (s: Snapshot): BucketEntry => ({
  bucket: s.source.name,
  region: s.source.region,
  tagged: s.source.tags.known && s.source.tags.value.DataClassification === 'PHI',
  replication: s.source.replication.known ? s.source.replication.value : undefined,
  facts: { replication: s.source.replication, tags: s.source.tags },
});

/** A collector over fixture snapshots: an index of them (or of `entries`), and their scope facts. */
export const fakeCollector = (
  snapshots: Readonly<Record<string, Snapshot>>,
  collected: string[],
  entries?: readonly BucketEntry[],
): Collector => {
  const index = () => new ReplicationIndex(HOME, entries ?? Object.values(snapshots).map(entryOf), 0);
  return {
    locate: async (_session, _account, bucket) => {
      const entry = entries?.find((e) => e.bucket === bucket);
      return known(snapshots[bucket]?.source.region ?? entry?.region ?? null);
    },
    scopeFacts: async (_session, target, indexOf) => {
      const s = snapshots[target.bucket];
      const replication = target.source?.replication ?? s?.source.replication ?? known(null);
      const tags = target.source?.tags ?? s?.source.tags ?? known({});
      const sources = (await indexOf?.())?.sourcesReplicatingTo(target.bucket) ?? [];
      return {
        bucket: target.bucket,
        replication,
        tags,
        replicatedFrom: known(sources),
        ...(target.named ? { named: true } : {}),
      };
    },
    snapshot: async (_session, target, scope) => {
      collected.push(target.bucket);
      const s = snapshots[target.bucket];
      if (!s)
        throw new CollectError(
          `Bucket ${target.bucket} does not exist in account ${HOME}`,
          'BUCKET_NOT_FOUND',
        );
      return { ...s, scope };
    },
    index: async () => index(),
    refreshIndex: async () => undefined,
  };
};

/** The in-memory state sink and the recording alert and evaluation sinks. */
const recordingSinks = (
  store: Map<string, AwsSecurityFinding>,
  recorded: Recorded,
  failWrite: (id: string) => boolean,
): Sink[] => [
  {
    name: 'memoryState',
    role: 'state',
    read: async (query) => {
      recorded.reads.push(query);
      const wanted = new Set(query.ids);
      const buckets = new Set([...query.buckets, ...(query.scope?.buckets ?? [])]);
      const out = new Map();
      for (const [id, record] of store) {
        const previous = previousFromAsff(record);
        if (!previous || !(wanted.has(id) || (previous.bucket && buckets.has(previous.bucket)))) continue;
        out.set(id, {
          previous,
          rebuild: (reason: string, status?: 'COMPLIANT' | 'NOT_APPLICABLE') =>
            resultFromAsff(record, reason, status),
        });
      }
      return out;
    },
    deliver: async ({ items }) => {
      const written = items.filter((i) => i.write);
      recorded.writes.push(written);
      const failed = written.filter((i) => failWrite(i.id));
      for (const i of written.filter((w) => !failWrite(w.id)))
        store.set(
          i.id,
          toAsff({
            id: i.id,
            result: i.result,
            productArn: 'p',
            updatedAt: i.updatedAt,
            ...(i.previous ? { previous: i.previous } : {}),
          }),
        );
      return {
        delivered: written.filter((i) => !failWrite(i.id)).map((i) => i.id),
        failed: failed.map((i) => ({ id: i.id, reason: 'rejected' })),
      };
    },
  },
  {
    name: 'recorder',
    role: 'alert',
    deliver: async ({ items }) => {
      recorded.alerts.push([...items]);
      return { delivered: items.map((i) => i.id), failed: [], messages: items.length };
    },
  },
  {
    name: 'configRecorder',
    role: 'evaluation',
    deliver: async (delivery) => {
      recorded.evaluations.push(delivery);
      return { delivered: delivery.evaluations.map((e) => e.ComplianceResourceId), failed: [] };
    },
  },
];

export const fakeRuntime = (
  options: {
    snapshots?: Readonly<Record<string, Snapshot>>;
    entries?: readonly BucketEntry[];
    now?: () => Date;
    config?: Partial<RuntimeConfig>;
    failWrite?: (id: string) => boolean;
    sinks?: (defaults: Sink[]) => Sink[];
    continueWith?: Runtime['continueWith'];
  } = {},
): Fakes => {
  const collected: string[] = [];
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  const recorded: Recorded = { reads: [], writes: [], alerts: [], evaluations: [] };
  const store = new Map<string, AwsSecurityFinding>();
  const factory = fakeFactory();
  const config: RuntimeConfig = {
    parameters: DEFAULT_PARAMETERS,
    sinks: { securityHub: false },
    reserveMs: 90_000,
    concurrency: 8,
    quietPeriodMs: 60 * 60_000,
    ...options.config,
  };
  const sinks = recordingSinks(store, recorded, options.failWrite ?? (() => false));
  const rt = makeRuntime({
    name: 'test',
    factory: () => factory,
    config: () => config,
    sinks: () => options.sinks?.(sinks) ?? sinks,
    collector: fakeCollector(options.snapshots ?? {}, collected, options.entries),
    now: options.now ?? (() => new Date('2025-03-04T22:00:00Z')),
    ...(options.continueWith ? { continueWith: options.continueWith } : {}),
  });
  return {
    rt,
    recorded,
    store,
    collected,
    output: () => lines.join(''),
    results: () => recorded.writes.flat().map((i) => i.result),
  };
};

/** Parsed JSON log lines (EMF metric documents included). */
export const logLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
