/**
 * The diagnosis of a source bucket that S3 or CloudWatch reports as failing: its snapshot in the account
 * that owns it (the first candidate account where it exists) and every catalog rule's results. Diagnoses are
 * cached per source bucket for a short time, so a storm of events over one bucket reads it once.
 */
import type { Collector } from '../collect/collector.js';
import { CollectError } from '../collect/errors.js';
import { SOURCE_SCOPE } from '../collect/liveSnapshot.js';
import { accountOfArn } from '../collect/normalise/arn.js';
import type { ScanSession } from '../collect/session.js';
import { withFixes } from '../fix/attach.js';
import { planFixes } from '../fix/planner.js';
import type { Diagnosis } from '../model/diagnosis.js';
import type { RuleResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';

/** Default lifetime of a cached diagnosis. */
export const DIAGNOSIS_TTL_MS = 5 * 60_000;

/** Candidate owner accounts of a source bucket: account ids (or ARNs) an event carries, then ReplGuard's own. */
export const ownerCandidates = (home: string, hints: readonly (string | undefined)[]): string[] => {
  const ids = hints
    .map((h) => (h && /^\d{12}$/.test(h) ? h : h?.startsWith('arn:') ? accountOfArn(h) : undefined))
    .filter((h): h is string => h !== undefined);
  return [...new Set([...ids, home])];
};

export interface DiagnoseContext {
  readonly session: () => ScanSession;
  readonly collector: Collector;
  readonly evaluate: (snapshot: Snapshot) => RuleResult[];
  readonly home: () => Promise<string>;
  readonly now: () => Date;
}

interface Cached {
  readonly at: number;
  readonly diagnosis: Promise<Diagnosis>;
}

/** Diagnoses source buckets, memoised per bucket and hints for `ttlMs` (0: per call). */
export class Diagnoser {
  readonly #cache = new Map<string, Cached>();

  constructor(
    readonly ctx: DiagnoseContext,
    readonly ttlMs = DIAGNOSIS_TTL_MS,
  ) {}

  /**
   * Every rule's results for `bucket`, read in the first candidate account that owns it. A bucket that cannot
   * be read yields `{ ok: false, reason }` (not cached: the next event tries again).
   */
  async diagnose(bucket: string, accountHints: readonly (string | undefined)[] = []): Promise<Diagnosis> {
    // Keyed by the candidate accounts, not the raw hints: a raw and an SNS-wrapped event of one bucket share it.
    let candidates: string[];
    try {
      candidates = ownerCandidates(await this.ctx.home(), accountHints);
    } catch (error) {
      return { ok: false, reason: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) };
    }
    const now = this.ctx.now().getTime();
    const key = `${bucket}|${candidates.join(',')}`;
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.diagnosis;
    const diagnosis = this.#run(bucket, candidates).then((d) => {
      if (!d.ok) this.#cache.delete(key);
      return d;
    });
    this.#cache.set(key, { at: now, diagnosis });
    if (this.#cache.size > 1_000) this.#cache.delete(this.#cache.keys().next().value as string);
    return diagnosis;
  }

  async #run(bucket: string, candidates: readonly string[]): Promise<Diagnosis> {
    try {
      const session = this.ctx.session();
      let lastReason = `bucket ${bucket} not found`;
      for (const accountId of candidates) {
        try {
          const snapshot = await this.ctx.collector.snapshot(session, { bucket, accountId }, SOURCE_SCOPE);
          const results = this.ctx.evaluate(snapshot);
          // The root cause's fix is the planned one: merged, proven, the same a scan of the bucket prints.
          const plan = planFixes([{ snapshot, results }], this.ctx.evaluate);
          return { ok: true, accountId, region: snapshot.source.region, results: withFixes(results, plan) };
        } catch (error) {
          if (!(error instanceof CollectError)) throw error;
          lastReason = error.message;
          if (error.code !== 'BUCKET_NOT_FOUND') break;
        }
      }
      return { ok: false, reason: lastReason };
    } catch (error) {
      return { ok: false, reason: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) };
    }
  }
}
