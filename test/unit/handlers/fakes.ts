/**
 * Dependencies of the handlers for pure unit tests: snapshots come from fixtures (not AWS), the findings
 * pipeline is replaced by a recorder, logs are captured (to assert what is and is not logged).
 */
import { vi } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { CollectError } from '../../../shared/collect/errors.js';
import { evaluateSnapshot } from '../../../shared/engine/evaluate.js';
import type { HandlerDeps } from '../../../shared/handlers/runtime.js';
import { createObservability } from '../../../shared/middleware/observability.js';
import { DEFAULT_PARAMETERS, type Snapshot } from '../../../shared/model/snapshot.js';
import type { PublishOptions, PublishSummary } from '../../../shared/publish/pipeline.js';
import type { RuleResult } from '../../../shared/rules/types.js';

export interface PublishCall {
  readonly results: readonly RuleResult[];
  readonly options: PublishOptions;
}

export interface Fakes {
  readonly deps: HandlerDeps;
  readonly published: PublishCall[];
  readonly collected: string[];
  /** Everything written to stdout and stderr (logs, EMF metrics) since the fakes were made. */
  readonly output: () => string;
}

export const summaryOf = (results: readonly RuleResult[]): PublishSummary => ({
  new: results.filter((r) => r.status === 'NON_COMPLIANT').length,
  changed: 0,
  resolved: results.filter((r) => r.status === 'COMPLIANT').length,
  unchanged: 0,
  messagesSent: results.length,
  suppressed: 0,
  imported: results.length,
  failed: [],
});

export const fakeFactory = (home = '111111111111'): ClientFactory =>
  ({
    region: 'us-east-1',
    homeAccountId: async () => home,
    crossAccountRoleName: 'ReplGuardReadOnly',
  }) as unknown as ClientFactory;

export const fakeDeps = (
  options: {
    snapshots?: Readonly<Record<string, Snapshot>>;
    publish?: HandlerDeps['publish'];
    topicArn?: string;
    now?: Date;
  } = {},
): Fakes => {
  const published: PublishCall[] = [];
  const collected: string[] = [];
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  const factory = fakeFactory();
  const deps: HandlerDeps = {
    obs: createObservability('test'),
    factory: () => factory,
    parameters: () => DEFAULT_PARAMETERS,
    topicArn: () => options.topicArn ?? 'arn:aws:sns:us-east-1:111111111111:replguard-findings',
    securityHub: () => false,
    collect: async (_session, bucket) => {
      collected.push(bucket);
      const snapshot = options.snapshots?.[bucket];
      if (!snapshot)
        throw new CollectError(`Bucket ${bucket} does not exist in account 111111111111`, 'BUCKET_NOT_FOUND');
      return snapshot;
    },
    collectFromConfigItem: async () => null,
    evaluate: (snapshot) => evaluateSnapshot(snapshot),
    publish:
      options.publish ??
      (async (_factory, results, publishOptions) => {
        published.push({ results, options: publishOptions });
        return summaryOf(results);
      }),
    now: () => options.now ?? new Date('2025-03-04T22:00:00Z'),
  };
  return { deps, published, collected, output: () => lines.join('') };
};

/** Parsed JSON log lines (EMF metric documents included). */
export const logLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
