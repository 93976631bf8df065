import type { UnknownDatum } from './datum.js';

export const ScopeKind = {
  /** In scope as a replication source: its whole path is judged. */
  Source: 'source',
  /** In scope, but it only receives replicas: not failed for lacking replication of its own. */
  ReplicaOnly: 'replica-only',
  /** Neither replicated nor tagged: not evaluated (NOT_APPLICABLE to AWS Config). */
  Out: 'out',
  /** In scope unless a fact that could not be read says otherwise: rules that depend on it report UNKNOWN. */
  Unknown: 'unknown',
} as const;
export type ScopeKind = (typeof ScopeKind)[keyof typeof ScopeKind];

export interface ScopeVerdict {
  readonly kind: ScopeKind;
  /** Why, in a few words ("replication configured", "tagged DataClassification=PHI", …). */
  readonly reason: string;
  /** What shows it receives replicas: source buckets replicating into it, or principals allowed to. */
  readonly replicatedFrom?: readonly string[];
  /** The fact that could not be read (kind `unknown`): what it is, and why it could not be read. */
  readonly missing?: { readonly what: string; readonly datum: UnknownDatum };
}
