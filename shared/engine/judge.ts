/**
 * The shared middle of every trigger's path: for each target bucket, decide its scope (shared/scope), collect
 * its snapshot (live, or from a Config item) and evaluate the catalog. A bucket out of scope is judged
 * NOT_APPLICABLE without being collected; a bucket that is gone says so; one whose scope cannot be decided
 * is evaluated with that fact UNKNOWN, never dropped.
 */
import type { Collector } from '../collect/collector.js';
import { CollectError } from '../collect/errors.js';
import { normaliseConfigItem } from '../collect/fromConfigItem.js';
import type { ScanSession } from '../collect/session.js';
import { unreadableSnapshot } from '../collect/unreadable.js';
import { unknown, type UnknownDatum } from '../model/datum.js';
import type { RuleResult } from '../model/result.js';
import { ScopeKind, type ScopeVerdict } from '../model/scope.js';
import type { Snapshot, SourceBucket } from '../model/snapshot.js';
import type { ReplicationIndex } from '../scope/replicationIndex.js';
import { decideScope, type ScopeFacts } from '../scope/verdict.js';
import { replicationConfigured } from '../rules/replication_configured.js';
import { mapLimit } from '../support/concurrency.js';

/** One bucket a trigger wants judged. */
export interface Target {
  readonly bucket: string;
  /** The account that owns it. */
  readonly accountId: string;
  /** Its Region, when the trigger knows it (else it is located). */
  readonly region?: string;
  /** Named by the operator (`replguard scan --bucket`): in scope whatever its tags. */
  readonly named?: boolean;
  /** The AWS Config configuration item describing it (settings it lacks are read live). */
  readonly item?: Readonly<Record<string, unknown>>;
  /** Its scope facts when the trigger read them already (a replication index entry). */
  readonly facts?: Pick<SourceBucket, 'replication' | 'tags'>;
}

export const JudgementKind = {
  /** Evaluated: `results` holds the catalog's verdicts. */
  Evaluated: 'evaluated',
  /** Out of scope: nothing evaluated (NOT_APPLICABLE). */
  OutOfScope: 'out-of-scope',
  /** Whether it is in scope could not be decided: only its scope is reported (UNKNOWN). */
  Undecided: 'undecided',
  /** Deleted or not found: nothing evaluated; its findings resolve. */
  Gone: 'gone',
  /** Could not be read at all (e.g. its Region cannot be located): every rule UNKNOWN, naming why. */
  Unreadable: 'unreadable',
} as const;
export type JudgementKind = (typeof JudgementKind)[keyof typeof JudgementKind];

/** Kinds whose results report on the bucket (it is, or may be, in scope): Config evaluates them by their results. */
export const REPORTED: readonly JudgementKind[] = [
  JudgementKind.Evaluated,
  JudgementKind.Unreadable,
  JudgementKind.Undecided,
];

/** Kinds that judged the bucket completely: ACTIVE findings no longer reported for it are resolved. */
export const COMPLETE: readonly JudgementKind[] = [
  JudgementKind.Evaluated,
  JudgementKind.OutOfScope,
  JudgementKind.Gone,
];

export interface Judgement {
  readonly target: Target;
  readonly kind: JudgementKind;
  /** Why, for anything but an evaluation ("no replication configuration and no …", "deleted", …). */
  readonly reason?: string;
  readonly scope?: ScopeVerdict;
  readonly snapshot?: Snapshot;
  readonly results: readonly RuleResult[];
  /** For `gone` and `unreadable`: the CollectError code (BUCKET_NOT_FOUND, BUCKET_UNREADABLE). */
  readonly code?: string;
}

export interface JudgeContext {
  readonly session: ScanSession;
  readonly collector: Collector;
  readonly evaluate: (snapshot: Snapshot) => RuleResult[];
  /** The replication index of an account (scope evidence), built on first need. */
  readonly index: (accountId: string) => Promise<ReplicationIndex | undefined>;
}

export interface JudgeOptions {
  /** Buckets judged at once (default 8). */
  readonly concurrency?: number;
  /** Called after each bucket (progress), with the milliseconds it took by `clock`. */
  readonly onJudged?: (judgement: Judgement, done: number, total: number, elapsedMs: number) => void;
  /** Milliseconds now (default `Date.now`). */
  readonly clock?: () => number;
  /**
   * Whether another bucket may be started (a deadline): workers stop taking targets when it says no, so the
   * judged targets are always a prefix of the list.
   */
  readonly mayStart?: () => boolean;
}

const outcome = (target: Target, kind: JudgementKind, reason: string, code?: string): Judgement => ({
  target,
  kind,
  reason,
  results: [],
  ...(code ? { code } : {}),
});

/** A bucket that cannot be read at all: evaluated over a snapshot of unknowns, so every rule says why. */
const unreadable = (
  ctx: JudgeContext,
  target: Target,
  why: UnknownDatum,
  region = target.region ?? ctx.session.factory.region,
): Judgement => {
  const scope: ScopeVerdict = { kind: ScopeKind.Source, reason: `bucket unreadable: ${why.reason}` };
  const snapshot = unreadableSnapshot(
    { bucket: target.bucket, accountId: target.accountId, region },
    why,
    scope,
    ctx.session.parameters,
  );
  return {
    target,
    kind: JudgementKind.Unreadable,
    reason: `Cannot read bucket ${target.bucket}: ${why.reason}`,
    scope,
    snapshot,
    results: ctx.evaluate(snapshot),
    code: 'BUCKET_UNREADABLE',
  };
};

/**
 * A bucket whose scope cannot be decided: not collected and not judged as PHI, but never dropped: the scope
 * rule (replication_configured) reports it UNKNOWN, naming the fact it could not read.
 */
const undecided = (
  ctx: JudgeContext,
  target: Target,
  region: string,
  facts: ScopeFacts,
  scope: ScopeVerdict,
): Judgement => {
  const snapshot = unreadableSnapshot(
    { bucket: target.bucket, accountId: target.accountId, region },
    unknown(`not read: ${scope.reason}`),
    scope,
    ctx.session.parameters,
    { replication: facts.replication, tags: facts.tags },
  );
  return {
    target,
    kind: JudgementKind.Undecided,
    reason: scope.reason,
    scope,
    snapshot,
    results: [...replicationConfigured.evaluate(snapshot)],
  };
};

/** Where the bucket is and, for a Config item, its normalised source; or the judgement it ends with. */
const locate = async (
  ctx: JudgeContext,
  target: Target,
): Promise<{ region: string; source?: SourceBucket } | Judgement> => {
  if (target.item) {
    const normalised = normaliseConfigItem(target.item);
    if (normalised.deleted) return outcome(target, JudgementKind.Gone, 'the bucket was deleted');
    return { region: normalised.region, source: normalised.source };
  }
  if (target.region) return { region: target.region };
  const located = await ctx.collector.locate(ctx.session, target.accountId, target.bucket);
  if (!located.known) return unreadable(ctx, target, located);
  if (located.value === null)
    return outcome(
      target,
      JudgementKind.Gone,
      `Bucket ${target.bucket} does not exist in account ${target.accountId}`,
      'BUCKET_NOT_FOUND',
    );
  return { region: located.value };
};

/** Judges one bucket: scope, then (in scope) snapshot and evaluation. */
export const judgeOne = async (ctx: JudgeContext, target: Target): Promise<Judgement> => {
  const where = await locate(ctx, target);
  if ('kind' in where) return where;
  const facts = await ctx.collector.scopeFacts(
    ctx.session,
    {
      bucket: target.bucket,
      accountId: target.accountId,
      region: where.region,
      ...(target.named ? { named: true } : {}),
      ...(where.source ? { source: where.source } : target.facts ? { source: target.facts } : {}),
    },
    () => ctx.index(target.accountId),
  );
  const scope = decideScope(facts, ctx.session.parameters.scopeTag);
  if (scope.kind === ScopeKind.Out)
    return { target, kind: JudgementKind.OutOfScope, reason: scope.reason, scope, results: [] };
  if (scope.kind === ScopeKind.Undecided) return undecided(ctx, target, where.region, facts, scope);
  try {
    const snapshot = await ctx.collector.snapshot(
      ctx.session,
      {
        bucket: target.bucket,
        accountId: target.accountId,
        ...(where.source ? { source: where.source } : {}),
      },
      scope,
    );
    return { target, kind: JudgementKind.Evaluated, scope, snapshot, results: ctx.evaluate(snapshot) };
  } catch (error) {
    if (!(error instanceof CollectError)) throw error;
    return error.code === 'BUCKET_NOT_FOUND'
      ? outcome(target, JudgementKind.Gone, error.message, error.code)
      : unreadable(ctx, target, unknown(error.message), where.region);
  }
};

/** Judges every target, `concurrency` at a time, in target order. */
export const judge = async (
  ctx: JudgeContext,
  targets: readonly Target[],
  options: JudgeOptions = {},
): Promise<{ judgements: Judgement[]; remaining: Target[] }> => {
  const workers = Math.max(1, options.concurrency ?? 8);
  const judged: (Judgement | undefined)[] = new Array(targets.length);
  let taken = 0;
  let done = 0;
  await mapLimit(Array.from({ length: workers }), workers, async () => {
    while (taken < targets.length && (options.mayStart?.() ?? true)) {
      const i = taken++;
      const clock = options.clock ?? Date.now;
      const started = clock();
      const judgement = await judgeOne(ctx, targets[i] as Target);
      judged[i] = judgement;
      options.onJudged?.(judgement, ++done, targets.length, clock() - started);
    }
  });
  return {
    judgements: judged.filter((j): j is Judgement => j !== undefined),
    remaining: targets.slice(taken),
  };
};
