/**
 * Judging canary objects, and the little state that carries unjudged ones from one run to the next. Pure.
 *
 * Each canary is judged once per pair, at the first look that decides it: the replica is there (replicated;
 * the latency is the time to that first sight), S3 marked it FAILED, or the threshold passed without it
 * (late). A look that decides nothing leaves it pending for the next run.
 */
import { createHash } from 'node:crypto';
import {
  CANARY_PREFIX,
  type CanaryPair,
  type CanaryVerdict,
  CanaryOutcome,
  ReplicaSight,
} from '../model/canary.js';

/** A canary written and not yet judged for some of its pairs. */
export interface PendingCanary {
  readonly key: string;
  /** Epoch ms of the write. */
  readonly writtenAt: number;
  /** {@link pairId}s still waiting for a verdict. */
  readonly pairs: readonly string[];
}

/** What one look at a canary showed: the source's replication status and the replica in the destination. */
export interface CanaryLook {
  /** PENDING, COMPLETED, FAILED; `none` when S3 set no status; `unreadable` when the source could not be read. */
  readonly sourceStatus: string;
  readonly replica: ReplicaSight;
  readonly replicaNote?: string;
}

/** The key of the per-bucket state object (its metadata holds the pending canaries). */
export const STATE_KEY = `${CANARY_PREFIX}state`;
/** The metadata entry holding the state. */
export const STATE_METADATA = 'replguard-state';
/** User metadata is limited to 2 KB per object: the state keeps below that, dropping the oldest canaries. */
export const MAX_STATE_BYTES = 1800;
/** A canary older than this is forgotten unjudged (its lifecycle rule has expired it by then). */
export const MAX_PENDING_AGE_MS = 24 * 60 * 60_000;

const COMPLETED = new Set(['COMPLETED', 'COMPLETE']);

/** A short, stable id of a pair within its source (the state must stay small). */
export const pairId = (pair: Pick<CanaryPair, 'replicationRuleId' | 'destinationBucket'>): string =>
  createHash('sha256')
    .update(`${pair.replicationRuleId}\u0000${pair.destinationBucket}`)
    .digest('hex')
    .slice(0, 10);

/** `replguard-canary/20250304T210000123Z-1a2b3c4d.txt`: the write time and a random suffix. */
export const canaryKey = (writtenAt: number, random: string): string =>
  `${CANARY_PREFIX}${new Date(writtenAt).toISOString().replace(/[-:.]/g, '')}-${random}.txt`;

/**
 * The verdict of one look at `canary` for `pair` at `now`, or undefined while it is still pending. A replica
 * that cannot be looked at (a denied read) is taken as there when S3 reports the source COMPLETED (every
 * destination done).
 */
export const judge = (
  pair: CanaryPair,
  canary: { readonly key: string; readonly writtenAt: number },
  look: CanaryLook,
  now: number,
  inRun: boolean,
): CanaryVerdict | undefined => {
  const base = {
    pair,
    canaryKey: canary.key,
    writtenAt: canary.writtenAt,
    judgedAt: now,
    measuredInRun: inRun,
    sourceStatus: look.sourceStatus,
    replica: look.replica,
    ...(look.replicaNote ? { replicaNote: look.replicaNote } : {}),
  };
  const seen =
    look.replica === ReplicaSight.Present ||
    (look.replica === ReplicaSight.Unreadable && COMPLETED.has(look.sourceStatus));
  if (seen)
    return {
      ...base,
      outcome: CanaryOutcome.Replicated,
      latencySeconds: Math.max(0, Math.round((now - canary.writtenAt) / 100) / 10),
    };
  if (look.sourceStatus === 'FAILED') return { ...base, outcome: CanaryOutcome.Failed };
  if (now - canary.writtenAt >= pair.thresholdMinutes * 60_000)
    return { ...base, outcome: CanaryOutcome.Late };
  return undefined;
};

/** Whether a verdict fails its pair. */
export const isFailure = (verdict: CanaryVerdict): boolean => verdict.outcome !== CanaryOutcome.Replicated;

/** The newest canary judged for each pair: the pair's state now (an older late canary does not outvote it). */
export const newestPerPair = (verdicts: readonly CanaryVerdict[]): CanaryVerdict[] => {
  const newest = new Map<string, CanaryVerdict>();
  for (const v of verdicts) {
    const id = JSON.stringify([v.pair.bucket, v.pair.replicationRuleId, v.pair.destinationBucket]);
    const seen = newest.get(id);
    if (!seen || v.writtenAt > seen.writtenAt) newest.set(id, v);
  }
  return [...newest.values()];
};

interface StateDocument {
  readonly v: 1;
  readonly p: readonly { readonly k: string; readonly t: number; readonly r: readonly string[] }[];
}

/** The state as metadata text: the newest canaries that fit in {@link MAX_STATE_BYTES}, and those dropped. */
export const encodeState = (
  pending: readonly PendingCanary[],
  now: number,
): { readonly text: string; readonly dropped: readonly PendingCanary[] } => {
  const kept = pending
    .filter((c) => c.pairs.length > 0 && now - c.writtenAt < MAX_PENDING_AGE_MS)
    .sort((a, b) => b.writtenAt - a.writtenAt);
  const dropped = pending.filter((c) => !kept.includes(c) && c.pairs.length > 0);
  const toText = (list: readonly PendingCanary[]) =>
    JSON.stringify({
      v: 1,
      p: list.map((c) => ({ k: c.key.slice(CANARY_PREFIX.length), t: c.writtenAt, r: c.pairs })),
    } satisfies StateDocument);
  while (kept.length > 0 && toText(kept).length > MAX_STATE_BYTES) dropped.push(kept.pop() as PendingCanary);
  return { text: toText(kept), dropped };
};

/** The pending canaries of a state text; anything unreadable is an empty state with a problem to report. */
export const decodeState = (
  text: string | undefined,
): { readonly pending: PendingCanary[]; readonly problem?: string } => {
  if (text === undefined || text === '') return { pending: [] };
  try {
    const doc = JSON.parse(text) as Partial<StateDocument>;
    if (doc.v !== 1 || !Array.isArray(doc.p)) throw new Error('unknown state version');
    const pending = doc.p.flatMap((c) =>
      typeof c?.k === 'string' &&
      Number.isFinite(c.t) &&
      Array.isArray(c.r) &&
      !c.k.includes('/') &&
      c.r.every((r: unknown) => typeof r === 'string')
        ? [{ key: `${CANARY_PREFIX}${c.k}`, writtenAt: c.t, pairs: [...c.r] }]
        : [],
    );
    return { pending };
  } catch (error) {
    return { pending: [], problem: `the canary state could not be read (${(error as Error).message})` };
  }
};
