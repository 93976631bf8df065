/**
 * What a function needs from the outside world, in one object: the Lambda wiring (functions/) builds it from
 * the environment, tests build it around the emulator or fakes. Handlers only wire a trigger to the path.
 */
import type { Context } from 'aws-lambda';
import { ClientFactory } from '../aws/clientFactory.js';
import { type Collector, liveCollector } from '../collect/collector.js';
import { readExceptionsParameter } from '../collect/readers/exceptions.js';
import { evaluateSnapshot } from '../engine/evaluate.js';
import { EMPTY_EXCEPTIONS, type ExceptionSet } from '../findings/exceptions.js';
import { rules } from '../rules/index.js';
import { runtimeRules } from '../rules/runtime/index.js';
import type { PathContext } from '../engine/path.js';
import { Diagnoser } from '../engine/diagnose.js';
import { ScanSession } from '../collect/session.js';
import { createObservability, type Observability } from '../middleware/observability.js';
import type { RuleResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Publisher } from '../publish/pipeline.js';
import { type Sink, type SinkLogger, sinksFor } from '../publish/sinks/index.js';
import { configFromEnv, type RuntimeConfig } from './config.js';
import { invokeSelf } from './continuation.js';
import { dynamoEdgeStore } from '../collect/edgeStore.js';
import type { EdgeStore } from '../scope/edges.js';

export interface Runtime {
  readonly obs: Observability;
  /** AWS clients (built on first use, so the environment of the invocation applies). */
  readonly factory: () => ClientFactory;
  readonly config: () => RuntimeConfig;
  readonly now: () => Date;
  readonly collector: Collector;
  readonly evaluate: (snapshot: Snapshot) => RuleResult[];
  /** The sinks the configuration switches on. */
  readonly sinks: () => readonly Sink[];
  /** Starts the continuation of a scheduled run that ran out of time. */
  readonly continueWith: (event: Record<string, unknown>, context: Context | undefined) => Promise<void>;
  /** The risk exceptions in force (read from SSM at most once a minute). */
  readonly exceptions: () => Promise<ExceptionSet>;
  /** The Organization-wide replication edge index (`REPLGUARD_EDGES_TABLE`); undefined when not configured. */
  readonly edges: () => EdgeStore | undefined;
}

const memo = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

/** The publisher of a runtime: its sinks, its account and Region. */
export const publisherOf = (rt: Runtime): Publisher => ({
  sinks: rt.sinks(),
  home: () => rt.factory().homeAccountId(),
  region: rt.factory().region,
});

/** The function's logger as sinks use it (a message and structured fields). */
const sinkLogger = (obs: Observability): SinkLogger => ({
  info: (message, fields) => obs.logger.info(message, fields ?? {}),
  warn: (message, fields) => obs.logger.warn(message, fields ?? {}),
  error: (message, fields) => obs.logger.error(message, fields ?? {}),
});

export interface RuntimeOptions {
  /** The function's name (logs, the metrics' `function` dimension). */
  readonly name: string;
  readonly factory: () => ClientFactory;
  readonly config: () => RuntimeConfig;
  /** Default: the sinks the configuration switches on. */
  readonly sinks?: () => readonly Sink[];
  readonly collector?: Collector;
  readonly now?: () => Date;
  readonly continueWith?: Runtime['continueWith'];
  readonly exceptions?: Runtime['exceptions'];
  /** Default: the DynamoDB table the configuration names, if any. */
  readonly edges?: Runtime['edges'];
}

/** How long the risk exceptions read from SSM are reused in a warm function. */
const EXCEPTIONS_TTL_MS = 60_000;

/** The exceptions of the configured parameter, re-read at most once a minute. */
const exceptionsReader = (options: RuntimeOptions): Runtime['exceptions'] => {
  let cached: { at: number; set: Promise<ExceptionSet> } | undefined;
  const ruleIds = new Set([...rules, ...runtimeRules].map((r) => r.id));
  return () => {
    const name = options.config().exceptionsParameter;
    if (!name) return Promise.resolve(EMPTY_EXCEPTIONS);
    const now = Date.now();
    if (!cached || now - cached.at > EXCEPTIONS_TTL_MS)
      cached = { at: now, set: readExceptionsParameter(options.factory(), name, ruleIds) };
    return cached.set;
  };
};

/** A runtime from its parts (tests and the demo give a factory acting in the emulator). */
export const makeRuntime = (options: RuntimeOptions): Runtime => {
  const obs = createObservability(options.name);
  return {
    obs,
    factory: options.factory,
    config: options.config,
    now: options.now ?? (() => new Date()),
    collector: options.collector ?? liveCollector(),
    evaluate: (snapshot) => evaluateSnapshot(snapshot),
    sinks:
      options.sinks ??
      memo(() => sinksFor(options.config().sinks, { factory: options.factory(), logger: sinkLogger(obs) })),
    continueWith: options.continueWith ?? invokeSelf,
    exceptions: options.exceptions ?? exceptionsReader(options),
    edges:
      options.edges ??
      memo(() => {
        const table = options.config().edgesTable;
        return table ? dynamoEdgeStore(options.factory(), table) : undefined;
      }),
  };
};

/**
 * The production runtime of a function, from its environment: `AWS_REGION`, `AWS_ENDPOINT_URL` (the
 * emulator, for `osls invoke local`), the `REPLGUARD_*` parameters and sink settings.
 */
export const defaultRuntime = (functionName: string, env: NodeJS.ProcessEnv = process.env): Runtime => {
  const config = memo(() => configFromEnv(env));
  return makeRuntime({
    name: functionName,
    config,
    factory: memo(
      () => new ClientFactory({ crossAccountRoleName: config().parameters.crossAccountRoleName }),
    ),
  });
};

/** The path context of one invocation (a new scan session: reads are memoised per invocation). */
export const pathContextOf = (rt: Runtime, extra: Pick<PathContext, 'diagnoser'> = {}): PathContext => ({
  factory: rt.factory(),
  parameters: rt.config().parameters,
  collector: rt.collector,
  evaluate: rt.evaluate,
  publisher: publisherOf(rt),
  now: rt.now,
  quietPeriodMs: rt.config().quietPeriodMs,
  exceptions: rt.exceptions,
  ...extra,
});

/** A diagnoser for the function's lifetime (its cache spans invocations of a warm container). */
export const diagnoserOf = (rt: Runtime, ttlMs?: number): Diagnoser =>
  new Diagnoser(
    {
      session: () => new ScanSession(rt.factory(), rt.config().parameters),
      collector: rt.collector,
      evaluate: rt.evaluate,
      home: () => rt.factory().homeAccountId(),
      now: rt.now,
    },
    ttlMs,
  );
