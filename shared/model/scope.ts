import type { UnknownDatum } from './datum.js';

export const ScopeKind = {
  /** In scope as a replication source: its whole path is judged. */
  Source: 'source',
  /** In scope, but it only receives replicas: not failed for lacking replication of its own. */
  ReplicaOnly: 'replica-only',
  /** Neither replicated nor tagged: not evaluated (NOT_APPLICABLE to AWS Config). */
  Out: 'out',
  /**
   * Whether it is in scope could not be decided (its tags could not be read): only the scope decision is
   * reported, UNKNOWN naming the missing permission; the bucket is neither dropped nor judged as PHI.
   */
  Undecided: 'undecided',
} as const;
export type ScopeKind = (typeof ScopeKind)[keyof typeof ScopeKind];

export interface ScopeVerdict {
  readonly kind: ScopeKind;
  /** Why, in a few words ("replication configured", "tagged DataClassification=PHI", …). */
  readonly reason: string;
  /** What shows it receives replicas: source buckets replicating into it, or principals allowed to. */
  readonly replicatedFrom?: readonly string[];
  /**
   * A scope fact that could not be read, and why: the tags (kind `undecided`), or, for an in-scope bucket
   * without replication of its own, whether it receives replicas (kind `source`: then it may need none).
   */
  readonly missing?: { readonly what: string; readonly datum: UnknownDatum };
}
