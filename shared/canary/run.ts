/**
 * One canary run over the opted-in sources, in three phases so the wait is spent once, not per bucket:
 *
 * 1. per source: skip it when Object Lock would keep canaries too long; check the lifecycle rule; judge the
 *    canaries earlier runs left pending; write a new canary;
 * 2. wait up to `waitMs` for the new canaries, looking every `pollMs` (a replica seen then has a precise latency);
 * 3. per source: write the state (the canaries still pending) for the next run.
 *
 * The object I/O goes through {@link CanaryIo} (shared/canary/s3.ts in the functions, a fake in unit tests).
 */
import { randomBytes } from 'node:crypto';
import { type CanaryPair, type CanaryVerdict, ReplicaSight } from '../model/canary.js';
import type { Datum } from '../model/datum.js';
import type { LifecycleRuleInfo } from '../model/lifecycle.js';
import type { ObjectLockInfo, ReplicationConfiguration } from '../model/snapshot.js';
import { mapLimit } from '../support/concurrency.js';
import {
  CANARY_BODY,
  CANARY_LIFECYCLE_RULE,
  canaryExpiry,
  CanaryExpiry,
  canaryPairs,
  type CanarySourceRef,
  defaultRetentionDays,
} from './pairs.js';
import type { CanarySettings } from './settings.js';
import {
  canaryKey,
  type CanaryLook,
  decodeState,
  encodeState,
  judge,
  pairId,
  type PendingCanary,
  STATE_KEY,
  STATE_METADATA,
} from './verdict.js';

/** A bucket (and, when known, its Region) in the account that owns it. */
export interface BucketRef {
  readonly bucket: string;
  readonly accountId: string;
  readonly region?: string;
}

/** What a HeadObject showed. */
export interface ObjectHead {
  /** `x-amz-replication-status`, when S3 set one. */
  readonly replicationStatus?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The object reads and writes of the canary (and the two bucket reads only it needs). */
export interface CanaryIo {
  objectLock(target: BucketRef): Promise<Datum<ObjectLockInfo | null>>;
  /** `null`: the bucket has no lifecycle configuration. */
  lifecycle(target: BucketRef): Promise<Datum<readonly LifecycleRuleInfo[] | null>>;
  /** `null`: no such object (or no such bucket). */
  head(target: BucketRef, key: string): Promise<Datum<ObjectHead | null>>;
  put(
    target: BucketRef,
    key: string,
    object: { readonly body: string; readonly metadata: Readonly<Record<string, string>> },
  ): Promise<Datum<true>>;
}

/** An opted-in source with its replication configuration. */
export interface CanarySource extends CanarySourceRef {
  readonly replication: ReplicationConfiguration;
}

export interface BucketNote {
  readonly bucket: string;
  readonly reason: string;
}

/** What a run did. */
export interface CanaryRun {
  readonly verdicts: readonly CanaryVerdict[];
  /** Sources a canary was written to. */
  readonly written: readonly string[];
  /** Sources left alone, with why (no covering rule, Object Lock retention, unreadable settings). */
  readonly skipped: readonly BucketNote[];
  /** Problems that did not stop the run (lifecycle rule missing, state dropped or unreadable). */
  readonly warnings: readonly BucketNote[];
  /** Writes that failed (the canary or its state). */
  readonly errors: readonly BucketNote[];
  /** Canary-pair checks left for the next run. */
  readonly pending: number;
}

export interface RunOptions {
  readonly now: () => number;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The random part of a canary key (default: 8 random hex digits). */
  readonly random?: () => string;
  readonly concurrency?: number;
}

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const randomHex = () => randomBytes(4).toString('hex');

interface Open {
  readonly key: string;
  readonly writtenAt: number;
  pairs: CanaryPair[];
}

interface Prepared {
  readonly source: CanarySource;
  readonly pairs: readonly CanaryPair[];
  readonly previousState: string | undefined;
  readonly kept: PendingCanary[];
  readonly fresh?: Open;
}

const SOURCE_CONCURRENCY = 8;

/** A bucket note's reason from a datum that could not be read. */
const unreadable = (what: string, d: Datum<unknown>): string =>
  d.known ? '' : `${what} could not be read: ${d.reason}`;

class Runner {
  readonly verdicts: CanaryVerdict[] = [];
  readonly written: string[] = [];
  readonly skipped: BucketNote[] = [];
  readonly warnings: BucketNote[] = [];
  readonly errors: BucketNote[] = [];

  constructor(
    readonly io: CanaryIo,
    readonly settings: CanarySettings,
    readonly options: RunOptions,
  ) {}

  /** The source's status and the replica's sight for each pair of one canary. */
  async look(source: CanarySource, key: string, pairs: readonly CanaryPair[]) {
    const head = await this.io.head(source, key);
    if (head.known && head.value === null) return undefined;
    const sourceStatus = head.known ? (head.value?.replicationStatus?.toUpperCase() ?? 'none') : 'unreadable';
    return Promise.all(
      pairs.map(async (pair): Promise<[CanaryPair, CanaryLook]> => {
        const replica = await this.io.head(
          { bucket: pair.destinationBucket, accountId: pair.destinationAccountId },
          key,
        );
        const look: CanaryLook = replica.known
          ? { sourceStatus, replica: replica.value ? ReplicaSight.Present : ReplicaSight.Absent }
          : { sourceStatus, replica: ReplicaSight.Unreadable, replicaNote: replica.reason };
        return [pair, look];
      }),
    );
  }

  /** Looks at a canary's open pairs once: the verdicts reached, the pairs still open (`undefined`: it is gone). */
  async check(source: CanarySource, canary: Open, inRun: boolean): Promise<CanaryPair[] | undefined> {
    const looks = await this.look(source, canary.key, canary.pairs);
    if (!looks) return undefined;
    const now = this.options.now();
    const open: CanaryPair[] = [];
    for (const [pair, look] of looks) {
      const verdict = judge(pair, canary, look, now, inRun);
      if (verdict) this.verdicts.push(verdict);
      else open.push(pair);
    }
    return open;
  }

  async warnAboutLifecycle(target: BucketRef, side: string): Promise<void> {
    const rules = await this.io.lifecycle(target);
    if (!rules.known) {
      this.warnings.push({
        bucket: target.bucket,
        reason: unreadable(`The ${side}'s lifecycle rules`, rules),
      });
      return;
    }
    const expiry = canaryExpiry(rules.value);
    if (expiry === CanaryExpiry.Complete) return;
    const what =
      expiry === CanaryExpiry.Missing
        ? `no enabled lifecycle rule of the ${side} expires ${CANARY_LIFECYCLE_RULE.Filter.Prefix} objects`
        : `the ${side}'s lifecycle rule expires current canary objects but not their noncurrent versions`;
    this.warnings.push({
      bucket: target.bucket,
      reason: `${what}: canary objects accumulate; add the rule ${CANARY_LIFECYCLE_RULE.ID} (docs/canary.md)`,
    });
  }

  /** Phase 1 for one source; undefined when it is skipped. */
  async prepare(source: CanarySource): Promise<Prepared | undefined> {
    const { pairs, uncovered } = canaryPairs(source, source.replication);
    if (pairs.length === 0) {
      const why = uncovered.map((u) => `${u.replicationRuleId}: ${u.reason}`).join('; ');
      this.skipped.push({
        bucket: source.bucket,
        reason: `no replication rule carries canaries (${why || 'no rules'})`,
      });
      return undefined;
    }
    const destinations = [...new Map(pairs.map((p) => [p.destinationBucket, p])).values()];
    const tooLong = await this.retentionProblem(source, destinations);
    if (tooLong) {
      this.skipped.push({ bucket: source.bucket, reason: tooLong });
      return undefined;
    }
    await Promise.all([
      this.warnAboutLifecycle(source, 'source'),
      ...destinations.map((p) =>
        this.warnAboutLifecycle(
          { bucket: p.destinationBucket, accountId: p.destinationAccountId },
          'destination',
        ),
      ),
    ]);
    const { previousState, kept } = await this.judgePending(source, pairs);
    const fresh = await this.write(source, pairs);
    return { source, pairs, previousState, kept, ...(fresh ? { fresh } : {}) };
  }

  /**
   * Why canaries would be kept too long, or undefined. A replica keeps the retention its source object got
   * (the source's default); a source without one leaves the replica to the destination's default retention.
   */
  async retentionProblem(
    source: CanarySource,
    destinations: readonly CanaryPair[],
  ): Promise<string | undefined> {
    const max = this.settings.maxRetentionDays;
    const exceeds = (days: number, where: string) =>
      `${where} default Object Lock retention (${days} days) exceeds CanaryMaxRetentionDays (${max}): a canary could not be deleted before then`;
    const lock = await this.io.objectLock(source);
    if (!lock.known) return unreadable('Its Object Lock configuration', lock);
    const days = defaultRetentionDays(lock.value);
    if (days > max) return exceeds(days, 'its');
    if (days > 0) return undefined;
    for (const d of destinations) {
      const replicaLock = await this.io.objectLock({
        bucket: d.destinationBucket,
        accountId: d.destinationAccountId,
      });
      if (!replicaLock.known)
        return unreadable(`The Object Lock configuration of destination ${d.destinationBucket}`, replicaLock);
      const replicaDays = defaultRetentionDays(replicaLock.value);
      if (replicaDays > max) return exceeds(replicaDays, `destination ${d.destinationBucket}'s`);
    }
    return undefined;
  }

  /** Judges the canaries the state lists; returns the state text read and the canaries still pending. */
  async judgePending(source: CanarySource, pairs: readonly CanaryPair[]) {
    const head = await this.io.head(source, STATE_KEY);
    if (!head.known)
      this.warnings.push({ bucket: source.bucket, reason: unreadable('The canary state', head) });
    const previousState = head.known ? head.value?.metadata[STATE_METADATA] : undefined;
    const { pending, problem } = decodeState(previousState);
    if (problem) this.warnings.push({ bucket: source.bucket, reason: problem });
    const byId = new Map(pairs.map((p) => [pairId(p), p]));
    const kept: PendingCanary[] = [];
    for (const canary of pending) {
      const open = canary.pairs.flatMap((id) => byId.get(id) ?? []);
      if (open.length === 0) continue;
      const still = await this.check(source, { ...canary, pairs: open }, false);
      if (still && still.length > 0) kept.push({ ...canary, pairs: still.map(pairId) });
    }
    return { previousState, kept };
  }

  async write(source: CanarySource, pairs: readonly CanaryPair[]): Promise<Open | undefined> {
    const writtenAt = this.options.now();
    const key = canaryKey(writtenAt, (this.options.random ?? randomHex)());
    const put = await this.io.put(source, key, {
      body: CANARY_BODY,
      metadata: { 'replguard-canary': 'true', 'replguard-written-at': new Date(writtenAt).toISOString() },
    });
    if (!put.known) {
      this.errors.push({ bucket: source.bucket, reason: `the canary could not be written: ${put.reason}` });
      return undefined;
    }
    this.written.push(source.bucket);
    return { key, writtenAt, pairs: [...pairs] };
  }

  /** Phase 2: looks at the new canaries until each is judged or the wait is over. */
  async wait(prepared: readonly Prepared[]): Promise<void> {
    const started = this.options.now();
    for (;;) {
      const open = prepared.filter((p) => p.fresh && p.fresh.pairs.length > 0);
      await mapLimit(open, this.options.concurrency ?? SOURCE_CONCURRENCY, async (p) => {
        const fresh = p.fresh as Open;
        fresh.pairs = (await this.check(p.source, fresh, true)) ?? [];
      });
      const left = prepared.some((p) => p.fresh && p.fresh.pairs.length > 0);
      if (!left || this.options.now() - started + this.settings.pollMs > this.settings.waitMs) return;
      await (this.options.sleep ?? pause)(this.settings.pollMs);
    }
  }

  /** Phase 3: the state for the next run, written only when it changed. */
  async finish(p: Prepared): Promise<number> {
    const pending = [
      ...p.kept,
      ...(p.fresh && p.fresh.pairs.length > 0
        ? [{ key: p.fresh.key, writtenAt: p.fresh.writtenAt, pairs: p.fresh.pairs.map(pairId) }]
        : []),
    ];
    const { text, dropped } = encodeState(pending, this.options.now());
    if (dropped.length > 0)
      this.warnings.push({
        bucket: p.source.bucket,
        reason: `${dropped.length} canary object(s) were forgotten unjudged (older than a day, or too many pending)`,
      });
    const unchanged = text === (p.previousState ?? encodeState([], 0).text);
    if (!unchanged) {
      const put = await this.io.put(p.source, STATE_KEY, { body: '', metadata: { [STATE_METADATA]: text } });
      if (!put.known)
        this.errors.push({
          bucket: p.source.bucket,
          reason: `the canary state could not be written: ${put.reason}`,
        });
    }
    return decodeState(text).pending.reduce((n, c) => n + c.pairs.length, 0);
  }
}

/** Runs the canary over `sources`: writes, waits, judges, and keeps what is still pending for the next run. */
export const runCanaries = async (
  io: CanaryIo,
  sources: readonly CanarySource[],
  settings: CanarySettings,
  options: RunOptions,
): Promise<CanaryRun> => {
  const runner = new Runner(io, settings, options);
  const limit = options.concurrency ?? SOURCE_CONCURRENCY;
  const prepared = (await mapLimit(sources, limit, (s) => runner.prepare(s))).filter(
    (p): p is Prepared => p !== undefined,
  );
  await runner.wait(prepared);
  const pending = await mapLimit(prepared, limit, (p) => runner.finish(p));
  return {
    verdicts: runner.verdicts,
    written: runner.written,
    skipped: runner.skipped,
    warnings: runner.warnings,
    errors: runner.errors,
    pending: pending.reduce((a, b) => a + b, 0),
  };
};
