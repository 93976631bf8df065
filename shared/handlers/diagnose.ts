/**
 * The diagnosis of a replicated pair that S3 or CloudWatch reports as failing: collect and evaluate its
 * source bucket, keep the results about that destination and replication rule (and the bucket-level ones),
 * and pick the NON_COMPLIANT rules that explain the symptom. Diagnoses are cached per source bucket for a
 * short time, so a storm of events over one bucket reads its configuration once, not once per batch.
 */
import { CollectError } from '../collect/errors.js';
import { ScanSession } from '../collect/session.js';
import { accountOfArn } from '../collect/normalise/arn.js';
import type { RuleResult } from '../rules/types.js';
import type { HandlerDeps } from './runtime.js';

export interface PairRef {
  readonly bucket: string;
  readonly destinationBucket: string;
  readonly replicationRuleId: string;
}

export type Diagnosis =
  | {
      readonly ok: true;
      readonly accountId: string;
      readonly region: string;
      readonly results: readonly RuleResult[];
    }
  | { readonly ok: false; readonly reason: string };

/** Default lifetime of a cached diagnosis. */
export const DIAGNOSIS_TTL_MS = 5 * 60_000;

/** The results about one pair: its destination and replication rule, plus the bucket-level ones. */
export const pairResults = (results: readonly RuleResult[], pair: PairRef): RuleResult[] =>
  results.filter(
    (r) =>
      r.bucket === pair.bucket &&
      (r.destinationBucket === null || r.destinationBucket === pair.destinationBucket) &&
      (r.replicationRuleId === null || r.replicationRuleId === pair.replicationRuleId),
  );

export interface RootCause {
  /** NON_COMPLIANT results of the rules that explain the symptom. */
  readonly causes: readonly RuleResult[];
  /** Those rules that could not be verified (UNKNOWN: a read was denied). */
  readonly unverified: readonly RuleResult[];
  /** Other NON_COMPLIANT results on the pair (not the explanation, but worth fixing). */
  readonly otherProblems: readonly RuleResult[];
}

/** Splits a pair's results by whether they explain a symptom diagnosed by `ruleIds` (all rules when empty). */
export const rootCauseOf = (results: readonly RuleResult[], ruleIds: readonly string[]): RootCause => {
  const relevant = (r: RuleResult) => ruleIds.length === 0 || ruleIds.includes(r.ruleId);
  return {
    causes: results.filter((r) => r.status === 'NON_COMPLIANT' && relevant(r)),
    unverified: results.filter((r) => r.status === 'UNKNOWN' && relevant(r)),
    otherProblems: results.filter((r) => r.status === 'NON_COMPLIANT' && !relevant(r)),
  };
};

/** Candidate owner accounts of a source bucket: an account id the event carries, then ReplGuard's own. */
export const ownerCandidates = (home: string, hints: readonly (string | undefined)[]): string[] => {
  const ids = hints
    .map((h) => (h && /^\d{12}$/.test(h) ? h : h?.startsWith('arn:') ? accountOfArn(h) : undefined))
    .filter((h): h is string => h !== undefined);
  return [...new Set([...ids, home])];
};

interface Cached {
  readonly at: number;
  readonly diagnosis: Promise<Diagnosis>;
}

/** Diagnoses source buckets, memoised per bucket for `ttlMs` (0: per call). */
export class Diagnoser {
  readonly #cache = new Map<string, Cached>();

  constructor(
    readonly deps: HandlerDeps,
    readonly ttlMs = DIAGNOSIS_TTL_MS,
  ) {}

  /**
   * The results of every rule for `bucket`, read in the first candidate account that owns it. Never throws:
   * a bucket that cannot be read yields `{ ok: false, reason }` and the finding says the diagnosis is unavailable.
   */
  diagnose(bucket: string, accountHints: readonly (string | undefined)[] = []): Promise<Diagnosis> {
    const now = this.deps.now().getTime();
    const key = `${bucket}|${accountHints.join(',')}`;
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.diagnosis;
    const diagnosis = this.#run(bucket, accountHints).then((d) => {
      if (!d.ok) this.#cache.delete(key); // never keep a failure: the next event tries again
      return d;
    });
    this.#cache.set(key, { at: now, diagnosis });
    if (this.#cache.size > 1_000) this.#cache.delete(this.#cache.keys().next().value as string);
    return diagnosis;
  }

  async #run(bucket: string, accountHints: readonly (string | undefined)[]): Promise<Diagnosis> {
    const factory = this.deps.factory();
    try {
      const session = new ScanSession(factory, this.deps.parameters());
      const candidates = ownerCandidates(await factory.homeAccountId(), accountHints);
      let lastReason = `bucket ${bucket} not found`;
      for (const accountId of candidates) {
        try {
          const snapshot = await this.deps.collect(session, bucket, { accountId });
          return {
            ok: true,
            accountId,
            region: snapshot.source.region,
            results: this.deps.evaluate(snapshot),
          };
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
