import { SEVERITY_ORDER, type RuleResult, type Severity, type Status } from '../model/result.js';
import { contentFingerprint, findingIdOf, messageHash } from './identity.js';

/** What an alert announces. */
export const Transition = { New: 'new', Changed: 'changed', Resolved: 'resolved' } as const;
export type Transition = (typeof Transition)[keyof typeof Transition];

/** What happened to a finding in one publish: a transition, nothing new, or no finding at all. */
export const Outcome = { ...Transition, Unchanged: 'unchanged', None: 'none' } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** ACTIVE while NON_COMPLIANT or UNKNOWN; RESOLVED once COMPLIANT (or no longer applicable) again. */
export type FindingState = 'ACTIVE' | 'RESOLVED';

/** The stored state of a finding, as read back from where findings live (Security Hub). */
export interface PreviousFinding {
  readonly id: string;
  readonly state: FindingState;
  /** The result status and rule severity at the last import. */
  readonly status?: Status;
  readonly severity?: Severity;
  readonly messageHash?: string;
  readonly fingerprint?: string;
  readonly createdAt?: string;
  readonly firstObservedAt?: string;
  readonly lastObservedAt?: string;
  readonly updatedAt?: string;
  /** Someone suppressed it in Security Hub: keep it current, send no alerts for it. */
  readonly suppressed: boolean;
  readonly bucket?: string;
  readonly ruleId?: string;
  /** The volatile details it carries as text (`count`, `firstSeen`, `lastSeen`, …), for rules that accumulate. */
  readonly details?: Readonly<Record<string, string>>;
  readonly destinationBucket?: string;
  readonly replicationRuleId?: string;
  /** A transition recorded whose alert did not go out through these sinks: the next publish sends it. */
  readonly alertPending?: PendingAlert;
  /** The end of the risk exception ReplGuard suppressed it for (its own suppression, not a person's). */
  readonly exceptionUntil?: string;
}

/** An alert still owed: the transition, and the alert sinks that did not take it. */
export interface PendingAlert {
  readonly transition: Transition;
  readonly sinks: readonly string[];
}

/** A complete evaluation of these buckets and/or rules: ACTIVE findings in scope that were not re-reported are resolved. */
export interface ResolveScope {
  readonly buckets?: readonly string[];
  readonly ruleIds?: readonly string[];
}

export interface PlannedFinding {
  readonly id: string;
  /** The current result; absent when an ACTIVE finding was not reported again by a complete evaluation. */
  readonly result?: RuleResult;
  readonly previous?: PreviousFinding;
  readonly outcome: Outcome;
  /** The alert to send, or null. */
  readonly transition: Transition | null;
  /** True when the finding must be (re-)imported. */
  readonly write: boolean;
  /** Only these alert sinks get the transition (an alert owed from an earlier publish); all when absent. */
  readonly alertSinks?: readonly string[];
}

export interface PlanOptions {
  readonly now: Date;
  /** Re-import an unchanged ACTIVE finding when its last import is older than this (keeps it from expiring). */
  readonly refreshAfterMs: number;
  readonly resolveMissingFor?: ResolveScope;
}

/** Default refresh interval for unchanged ACTIVE findings: one day. */
export const DEFAULT_REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;

export const isActiveStatus = (status: Status): boolean => status === 'NON_COMPLIANT' || status === 'UNKNOWN';

const STATUS_RANK: Readonly<Record<Status, number>> = {
  NON_COMPLIANT: 0,
  UNKNOWN: 1,
  COMPLIANT: 2,
  NOT_APPLICABLE: 3,
};

/** Orders results most alarming first: NON_COMPLIANT before UNKNOWN before the rest, then by severity. */
export const byConcern = (a: RuleResult, b: RuleResult): number =>
  STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
  SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);

/** True when an ACTIVE finding now reads differently enough to alert again: severity, message, or NON_COMPLIANT ⇄ UNKNOWN. */
export const isChanged = (current: RuleResult, previous: PreviousFinding): boolean =>
  previous.severity !== current.severity ||
  previous.messageHash !== messageHash(current.message) ||
  previous.status !== current.status;

/**
 * The transitions table. `current` undefined means "not reported by a complete evaluation".
 *
 * | current \ previous   | none | ACTIVE                 | RESOLVED  |
 * |----------------------|------|------------------------|-----------|
 * | NON_COMPLIANT/UNKNOWN| new  | changed or unchanged   | new       |
 * | COMPLIANT            | none | resolved               | unchanged |
 * | NOT_APPLICABLE       | none | resolved               | unchanged |
 * | not reported         | none | resolved               | unchanged |
 */
export const classify = (current: RuleResult | undefined, previous: PreviousFinding | undefined): Outcome => {
  const active = current !== undefined && isActiveStatus(current.status);
  if (!previous) return active ? Outcome.New : Outcome.None;
  if (previous.state === 'RESOLVED') return active ? Outcome.New : Outcome.Unchanged;
  if (!active) return Outcome.Resolved;
  return isChanged(current, previous) ? Outcome.Changed : Outcome.Unchanged;
};

const isStale = (previous: PreviousFinding, now: Date, refreshAfterMs: number): boolean => {
  const updated = previous.updatedAt ? Date.parse(previous.updatedAt) : Number.NaN;
  return Number.isNaN(updated) || now.getTime() - updated >= refreshAfterMs;
};

export const inResolveScope = (previous: PreviousFinding, scope: ResolveScope): boolean =>
  (scope.buckets !== undefined || scope.ruleIds !== undefined) &&
  (scope.buckets === undefined ||
    (previous.bucket !== undefined && scope.buckets.includes(previous.bucket))) &&
  (scope.ruleIds === undefined || (previous.ruleId !== undefined && scope.ruleIds.includes(previous.ruleId)));

/**
 * Plans one publish: for every result (one per finding id; when several share an id the most alarming
 * wins) and every in-scope ACTIVE finding that was not reported again, the outcome, the alert to send
 * and whether to write the finding. Pure: the caller reads `previous` and performs the writes.
 */
export const planFindings = (
  results: readonly RuleResult[],
  previous: ReadonlyMap<string, PreviousFinding>,
  options: PlanOptions,
): PlannedFinding[] => {
  const current = new Map<string, RuleResult>();
  for (const result of results) {
    const id = findingIdOf(result);
    const seen = current.get(id);
    if (!seen || byConcern(result, seen) < 0) current.set(id, result);
  }
  const plans: PlannedFinding[] = [];
  for (const [id, result] of current) {
    const prev = previous.get(id);
    const outcome = classify(result, prev);
    const write =
      outcome === Outcome.New ||
      outcome === Outcome.Changed ||
      outcome === Outcome.Resolved ||
      (outcome === Outcome.Unchanged &&
        prev?.state === 'ACTIVE' &&
        (prev.fingerprint !== contentFingerprint(result) ||
          isStale(prev, options.now, options.refreshAfterMs)));
    // An alert owed from an earlier publish goes out now (and the write clears the debt).
    const owed = outcome === Outcome.Unchanged ? prev?.alertPending : undefined;
    plans.push({
      id,
      result,
      ...(prev ? { previous: prev } : {}),
      outcome,
      transition: owed ? owed.transition : toTransition(outcome),
      write: write || owed !== undefined,
      ...(owed ? { alertSinks: owed.sinks } : {}),
    });
  }
  const scope = options.resolveMissingFor;
  if (scope) {
    for (const prev of previous.values()) {
      if (current.has(prev.id) || prev.state !== 'ACTIVE' || !inResolveScope(prev, scope)) continue;
      plans.push({
        id: prev.id,
        previous: prev,
        outcome: Outcome.Resolved,
        transition: Transition.Resolved,
        write: true,
      });
    }
  }
  return plans;
};

const toTransition = (outcome: Outcome): Transition | null =>
  outcome === Outcome.New || outcome === Outcome.Changed || outcome === Outcome.Resolved ? outcome : null;
