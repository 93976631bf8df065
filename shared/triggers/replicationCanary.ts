/**
 * The replication canary's trigger (replicationCanary, on a schedule): the opted-in sources of the account in
 * the function's Region (bucket tag `replguard:canary=true`, read from the replication index every scheduled
 * function shares), and the verdicts of a canary run → one `replication_canary_failed` observation per pair
 * (its newest verdict), diagnosed on the source when it fails.
 */
import type { CanaryRun, CanarySource } from '../canary/run.js';
import { isOptedIn } from '../canary/pairs.js';
import { isFailure, newestPerPair } from '../canary/verdict.js';
import type { Collector } from '../collect/collector.js';
import type { ScanSession } from '../collect/session.js';
import { observe, type Observation, type PathOutcome } from '../engine/path.js';
import type { CanaryVerdict } from '../model/canary.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { replicationCanaryFailed } from '../rules/runtime/index.js';

export interface CanaryDiscovery {
  readonly accountId: string;
  readonly sources: readonly CanarySource[];
  /** Opted-in buckets that cannot take canaries (no replication configuration, or it could not be read). */
  readonly notReplicated: readonly { readonly bucket: string; readonly reason: string }[];
  /** Buckets of the Region whose tags could not be read (they may be opted in). */
  readonly tagsUnreadable: readonly string[];
}

/** The opted-in sources of the home account in `region`, from the account's replication index. */
export const canarySources = async (
  collector: Collector,
  session: ScanSession,
  region: string,
  now: number,
): Promise<CanaryDiscovery> => {
  const accountId = await session.factory.homeAccountId();
  const index = await collector.index(session, accountId, now);
  const sources: CanarySource[] = [];
  const notReplicated: { bucket: string; reason: string }[] = [];
  const tagsUnreadable: string[] = [];
  for (const entry of index.entries().filter((e) => e.region === region)) {
    const tags = entry.facts?.tags;
    if (!tags?.known) {
      tagsUnreadable.push(entry.bucket);
      continue;
    }
    if (!isOptedIn(tags.value)) continue;
    const replication = entry.facts?.replication;
    if (!replication?.known || replication.value === null)
      notReplicated.push({
        bucket: entry.bucket,
        reason: replication?.known
          ? 'it has no replication configuration'
          : `its replication configuration could not be read: ${replication?.reason ?? 'not read'}`,
      });
    else sources.push({ bucket: entry.bucket, accountId, region, replication: replication.value });
  }
  return { accountId, sources, notReplicated, tagsUnreadable };
};

/** One observation per pair judged this run: its newest verdict; a failing one is diagnosed on its source. */
export const canaryObservations = (verdicts: readonly CanaryVerdict[]): Observation[] =>
  newestPerPair(verdicts).map((verdict) =>
    observe(replicationCanaryFailed, verdict, {
      accountHints: [verdict.pair.accountId],
      ...(isFailure(verdict)
        ? { diagnose: { bucket: verdict.pair.bucket, accountHints: [verdict.pair.accountId] } }
        : {}),
    }),
  );

/** What the function returns (and logs): what the run did, never an object key of a customer. */
export interface CanaryOutcome {
  readonly sources: number;
  readonly written: number;
  readonly replicated: number;
  readonly failed: number;
  readonly pending: number;
  readonly skipped: readonly { readonly bucket: string; readonly reason: string }[];
  readonly warnings: readonly { readonly bucket: string; readonly reason: string }[];
  readonly errors: readonly { readonly bucket: string; readonly reason: string }[];
  readonly tagsUnreadable: number;
  readonly summary?: PublishSummary;
}

export const canaryOutcome = (
  discovery: CanaryDiscovery,
  run: CanaryRun,
  outcome: PathOutcome | undefined,
): CanaryOutcome => {
  const judged = newestPerPair(run.verdicts);
  return {
    sources: discovery.sources.length,
    written: run.written.length,
    replicated: judged.filter((v) => !isFailure(v)).length,
    failed: judged.filter(isFailure).length,
    pending: run.pending,
    skipped: [...discovery.notReplicated, ...run.skipped],
    warnings: run.warnings,
    errors: run.errors,
    tagsUnreadable: discovery.tagsUnreadable.length,
    ...(outcome?.summary ? { summary: outcome.summary } : {}),
  };
};
