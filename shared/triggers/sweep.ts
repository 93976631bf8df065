/**
 * The Organization sweep's trigger (evaluateBucket invoked by a Distributed Map item): one (account,
 * Region) shard → every bucket of that account in that Region, read through the member role from the
 * account's replication index (the same index the periodic run and the scan use), judged in name order under
 * the invocation's deadline. An account that cannot be entered becomes the UNKNOWN result of
 * `unreachableAccount` (shared/engine/orgScan.ts), published like any other, never a failed shard.
 * The shard's first invocation also gives the shard's replication edges, for the Organization-wide index.
 */
import type { Context } from 'aws-lambda';
import { AwsClientError } from '../aws/errors.js';
import { keyResolverFor } from '../collect/replicationIndex.js';
import { ScanSession } from '../collect/session.js';
import { JudgementKind, REPORTED, type Target } from '../engine/judge.js';
import { reasonOf, unreachableAccount } from '../engine/orgScan.js';
import type { Observation, PathContext, PathOutcome, Work } from '../engine/path.js';
import type { Shard, ShardCounts } from '../events/sweep.js';
import { findingKey } from '../findings/identity.js';
import type { RuleResult } from '../model/result.js';
import { type EdgeStore, edgesOf, type ReplicationEdge, type SourceRef, withKeyIds } from '../scope/edges.js';
import { deadline } from './configRule.js';

/** The sources of a shard with their edges, as `EdgeStore.replaceShard` takes them. */
export type ShardSources = readonly {
  readonly source: SourceRef;
  readonly edges: readonly ReplicationEdge[];
}[];

export type ShardWork =
  | {
      readonly kind: 'unreachable';
      readonly reason: string;
      readonly work: Work;
      readonly session: ScanSession;
    }
  | {
      readonly kind: 'shard';
      readonly session: ScanSession;
      readonly work: Work & { readonly targets: readonly Target[] };
      /** Every source of the shard with its edges; undefined on a continuation, or when a replication configuration could not be read. */
      readonly sources?: ShardSources;
      /** Buckets whose replication configuration could not be read (their edges are kept as they are). */
      readonly unreadable: number;
    };

/** A ready-made result published on the path (its finding key is the result's own). */
const resultObservation = (result: RuleResult): Observation => ({
  ruleId: result.ruleId,
  accountHints: [result.accountId],
  key: () => findingKey(result),
  evaluate: () => result,
});

/** The work of one shard invocation. */
export const shardWork = async (
  ctx: Pick<PathContext, 'collector' | 'factory' | 'parameters' | 'now'>,
  shard: Shard,
  options: { readonly context?: Context; readonly reserveMs: number; readonly concurrency: number },
): Promise<ShardWork> => {
  const session = new ScanSession(ctx.factory, ctx.parameters);
  let index;
  try {
    // the shard's Region only: an account swept in R Regions is not read R times over
    index = await ctx.collector.index(session, shard.accountId, ctx.now().getTime(), {
      region: shard.region,
    });
  } catch (error) {
    if (!(error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED')) throw error;
    const reason = reasonOf(error);
    const roleArn = ctx.factory.roleArnIn(shard.accountId);
    const result = unreachableAccount(shard.accountId, roleArn, reason, shard.region);
    return {
      kind: 'unreachable',
      reason,
      session,
      work: { observations: [resultObservation(result)], session },
    };
  }
  const inRegion = index.entries().filter((e) => e.region === shard.region);
  const unreadable = inRegion.filter((e) => e.replication === undefined).length;
  const sources =
    shard.startAfter === undefined && unreadable === 0
      ? inRegion.flatMap((e) => {
          const source = { bucket: e.bucket, accountId: shard.accountId, region: shard.region };
          const edges = edgesOf(source, e.replication);
          return edges.length ? [{ source, edges }] : [];
        })
      : undefined;
  const after = shard.startAfter;
  const targets = inRegion
    .filter((e) => after === undefined || e.bucket > after)
    .map((e) => ({
      bucket: e.bucket,
      accountId: shard.accountId,
      region: e.region,
      ...(e.facts ? { facts: e.facts } : {}),
    }));
  return {
    kind: 'shard',
    session,
    unreadable,
    ...(sources ? { sources } : {}),
    work: {
      targets,
      session,
      judge: {
        concurrency: options.concurrency,
        clock: () => ctx.now().getTime(),
        ...deadline(options.context, options.reserveMs),
      },
    },
  };
};

/** What one shard invocation returns to the Map (counts only: the Map's results stay small). */
export interface ShardOutcome extends ShardCounts {
  readonly accountId: string;
  readonly region: string;
  readonly reachable: boolean;
  /** Buckets left for the next invocation of this shard (0: the shard is done). */
  readonly remaining: number;
  /** The shard event of that next invocation, when buckets remain. */
  readonly next?: { readonly replguardSweep: Shard };
  /** What the Organization-wide edge index received: undefined when it was not rebuilt this time. */
  readonly edges?: { readonly written: number; readonly removed: number };
  /** Why the edges were not rebuilt, when they were not. */
  readonly edgesSkipped?: string;
  /**
   * An account that could not be entered: why, and whether its UNKNOWN result was published (findings are
   * imported in the owner's account, through the very role that is missing; the sweep summary names it).
   */
  readonly unreachable?: { readonly reason: string; readonly published: boolean };
}

const ZERO: ShardCounts = { evaluated: 0, notApplicable: 0, failed: 0, invocations: 0 };

/** The shard's counts after this invocation, and its continuation when buckets remain. */
export const shardOutcome = (
  shard: Shard,
  reachable: boolean,
  outcome: PathOutcome,
  targets: readonly Target[],
): ShardOutcome => {
  const before = shard.carried ?? ZERO;
  const judged = outcome.judgements;
  const counts: ShardCounts = {
    evaluated: before.evaluated + judged.filter((j) => j.kind === JudgementKind.Evaluated).length,
    notApplicable: before.notApplicable + judged.filter((j) => !REPORTED.includes(j.kind)).length,
    failed:
      before.failed +
      judged.filter((j) => REPORTED.includes(j.kind) && j.kind !== JudgementKind.Evaluated).length,
    invocations: before.invocations + 1,
  };
  const last = targets[judged.length - 1]?.bucket ?? shard.startAfter;
  const remaining = outcome.remaining.length;
  const next =
    remaining > 0 && last
      ? { replguardSweep: { ...shard, startAfter: last, carried: counts } }
      : remaining > 0
        ? { replguardSweep: { ...shard, carried: counts } }
        : undefined;
  return {
    accountId: shard.accountId,
    region: shard.region,
    reachable,
    ...counts,
    remaining,
    ...(next ? { next } : {}),
  };
};

/** Why a shard invocation does not rebuild the shard's edges, or undefined when it does. */
export const edgesSkipped = (built: ShardWork, hasStore: boolean): string | undefined =>
  !hasStore
    ? 'no edge store configured'
    : built.kind === 'unreachable'
      ? 'the account could not be entered'
      : built.sources
        ? undefined
        : built.unreadable > 0
          ? `${built.unreadable} replication configuration(s) could not be read: the stored edges are kept`
          : 'a continuation of the shard (its first invocation rebuilt the edges)';

/** Rebuilds the shard's part of the edge index when this invocation saw every source of the shard. */
export const rebuildEdges = async (
  store: EdgeStore | undefined,
  shard: Shard,
  built: ShardWork,
): Promise<Pick<ShardOutcome, 'edges' | 'edgesSkipped'>> => {
  const skipped = edgesSkipped(built, store !== undefined);
  if (skipped || !store || built.kind !== 'shard' || !built.sources)
    return skipped ? { edgesSkipped: skipped } : {};
  const resolve = keyResolverFor(built.session);
  const sources = await Promise.all(
    built.sources.map(async (s) => ({ ...s, edges: await withKeyIds(s.edges, resolve) })),
  );
  return { edges: await store.replaceShard(shard, sources) };
};
