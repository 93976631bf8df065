/**
 * The one answer to "is this bucket in scope?", for the CLI (`--bucket`, `--all`) and every function:
 *
 * | replication configuration | scope tag (or `--bucket`) | receives replicas | verdict               |
 * |---------------------------|--------------------------|-------------------|-----------------------|
 * | present, or unreadable    | any                      | any               | source                |
 * | none                      | carries, or named        | yes               | replica-only          |
 * | none                      | carries, or named        | no                | source                |
 * | none                      | carries, or named        | unreadable        | source, evidence unknown |
 * | none                      | lacks                    | any               | out                   |
 * | none                      | unreadable               | yes               | replica-only          |
 * | none                      | unreadable               | no, or unreadable | undecided             |
 *
 * A destination that lacks the tag is out of scope on its own: its source's evaluation covers it.
 * A fact that cannot be read never drops a bucket: an undecided bucket is reported UNKNOWN (its scope), and
 * an in-scope bucket whose replica evidence cannot be read is judged with replication_configured UNKNOWN.
 */
import type { Datum } from '../model/datum.js';
import { ScopeKind, type ScopeVerdict } from '../model/scope.js';
import type { ReplicationConfiguration, ScanParameters } from '../model/snapshot.js';

/** What scope is decided from. */
export interface ScopeFacts {
  readonly bucket: string;
  readonly replication: Datum<ReplicationConfiguration | null>;
  readonly tags: Datum<Readonly<Record<string, string>>>;
  /** Sources (or replication principals) known to write replicas into it; unknown when that could not be read. */
  readonly replicatedFrom: Datum<readonly string[]>;
  /** Named explicitly by the operator (`replguard scan --bucket`): in scope whatever its tags. */
  readonly named?: boolean;
}

/** Decides scope from the facts (pure). */
export const decideScope = (facts: ScopeFacts, tag: ScanParameters['scopeTag']): ScopeVerdict => {
  const { replication, tags, replicatedFrom } = facts;
  if (!replication.known) return { kind: ScopeKind.Source, reason: 'replication configuration unreadable' };
  if (replication.value !== null) return { kind: ScopeKind.Source, reason: 'replication configured' };
  const label = `${tag.key}=${tag.value}`;
  const receives = replicatedFrom.known && replicatedFrom.value.length > 0 ? replicatedFrom.value : undefined;
  const replicaOnly = (why: string): ScopeVerdict => ({
    kind: ScopeKind.ReplicaOnly,
    reason: `${why}, receives replicas and replicates nothing itself`,
    replicatedFrom: receives ?? [],
  });
  if (!facts.named && !tags.known) {
    if (receives) return replicaOnly(`its tags could not be read`);
    return {
      kind: ScopeKind.Undecided,
      reason: `no replication configuration, and its tags (the ${label} scope tag) could not be read`,
      missing: {
        what: `the tags of ${facts.bucket} (its ${label} tag decides whether it must replicate)`,
        datum: tags,
      },
    };
  }
  const tagged = tags.known && tags.value[tag.key] === tag.value;
  if (!tagged && !facts.named)
    return { kind: ScopeKind.Out, reason: `no replication configuration and no ${label} tag` };
  const why = tagged ? `tagged ${label}` : 'named explicitly';
  if (receives) return replicaOnly(why);
  if (!replicatedFrom.known)
    return {
      kind: ScopeKind.Source,
      reason: `${why} with no replication configuration, and whether it receives replicas could not be read`,
      missing: {
        what: `whether ${facts.bucket} receives replicas (then it need not replicate itself)`,
        datum: replicatedFrom,
      },
    };
  return { kind: ScopeKind.Source, reason: why };
};

export { ScopeKind, type ScopeVerdict };

/** True when the bucket is evaluated at all. */
export const isEvaluated = (verdict: ScopeVerdict): boolean => verdict.kind !== ScopeKind.Out;
