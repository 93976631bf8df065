/**
 * What a handler needs from the outside world, in one object, so the Lambda wiring (functions/) builds it
 * from the environment and tests build it around the emulator or fakes. Handlers only wire: parse → scope
 * → collect → evaluate → publish.
 */
import { ClientFactory } from '../aws/clientFactory.js';
import { collectSnapshotFromConfigItem } from '../collect/configItemSnapshot.js';
import { collectSnapshot, type CollectOptions } from '../collect/liveSnapshot.js';
import type { ScanSession } from '../collect/session.js';
import { evaluateSnapshot } from '../engine/evaluate.js';
import { parametersFromEnv } from '../events/parameters.js';
import { createObservability, type Observability } from '../middleware/observability.js';
import type { ScanParameters, Snapshot } from '../model/snapshot.js';
import { publishResults, type PublishOptions, type PublishSummary } from '../publish/pipeline.js';
import type { RuleResult } from '../rules/types.js';

export interface HandlerDeps {
  readonly obs: Observability;
  /** AWS clients (built on first use, so the environment of the invocation applies). */
  readonly factory: () => ClientFactory;
  /** Scope tag, requireCrossRegion, requireRtc, cross-account role (Config rule parameters win for evaluateBucket). */
  readonly parameters: () => ScanParameters;
  /** Where alerts go (`REPLGUARD_FINDINGS_TOPIC_ARN`); no alerts when unset. */
  readonly topicArn: () => string | undefined;
  /** Import findings into Security Hub (default on; `REPLGUARD_SECURITY_HUB=off` for accounts without it). */
  readonly securityHub: () => boolean;
  readonly collect: (session: ScanSession, bucket: string, options?: CollectOptions) => Promise<Snapshot>;
  readonly collectFromConfigItem: (
    session: ScanSession,
    item: unknown,
    options?: { isReplicaDestinationOnly?: boolean },
  ) => Promise<Snapshot | null>;
  readonly evaluate: (snapshot: Snapshot) => RuleResult[];
  readonly publish: (
    factory: ClientFactory,
    results: readonly RuleResult[],
    options: PublishOptions,
  ) => Promise<PublishSummary>;
  readonly now: () => Date;
}

const memo = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

const flag = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined || value.trim() === ''
    ? fallback
    : !['off', 'false', '0', 'no'].includes(value.trim().toLowerCase());

/**
 * The production dependencies of a function, from its environment: `AWS_REGION`, `AWS_ENDPOINT_URL`
 * (the emulator, for `osls invoke local`), the `REPLGUARD_*` parameters and the findings topic.
 */
export const defaultDeps = (functionName: string, env: NodeJS.ProcessEnv = process.env): HandlerDeps => {
  const parameters = memo(() => parametersFromEnv(env));
  return {
    obs: createObservability(functionName),
    factory: memo(() => new ClientFactory({ crossAccountRoleName: parameters().crossAccountRoleName })),
    parameters,
    topicArn: () => env.REPLGUARD_FINDINGS_TOPIC_ARN?.trim() || undefined,
    securityHub: () => flag(env.REPLGUARD_SECURITY_HUB, true),
    collect: collectSnapshot,
    collectFromConfigItem: collectSnapshotFromConfigItem,
    evaluate: (snapshot) => evaluateSnapshot(snapshot),
    publish: publishResults,
    now: () => new Date(),
  };
};
