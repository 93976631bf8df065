/**
 * The findings pipeline, shared by every trigger: redact object keys, read each finding's previous state
 * once (from the state sink), plan the transitions (shared/findings/lifecycle.ts), record the findings in the
 * state sink, then announce the transitions that were recorded through every alert sink, and send AWS Config
 * evaluations when a Config rule invocation asked. Which sinks run is the publisher's configuration.
 */
import { nextUpdatedAt } from '../findings/clock.js';
import { findingIdOf } from '../findings/identity.js';
import {
  DEFAULT_REFRESH_AFTER_MS,
  isActiveStatus,
  Outcome,
  planFindings,
  type PreviousFinding,
  type ResolveScope,
} from '../findings/lifecycle.js';
import { exceptionNote } from '../findings/exceptions.js';
import { redactionSettings, redactResult } from '../findings/redaction.js';
import type { RuleResult } from '../model/result.js';
import { PublishError, PublishErrorCode, type FailedItem } from './errors.js';
import {
  type AlertNote,
  type EvaluationDelivery,
  type FindingDelivery,
  type FindingItem,
  isActionSink,
  isAlertSink,
  isEvaluationSink,
  isStateSink,
  type Sink,
  type SinkAnswer,
  type SinkOutcome,
  type StateSink,
  type StoredFinding,
} from './sinks/index.js';
import { memberFailure, placeOf, type PreviousState, readState, stateKey, wantedOf } from './state.js';

export { readState, stateKey, wantedOf, type PreviousState, type Wanted } from './state.js';

/** Where findings go: the configured sinks, and ReplGuard's own account and default Region. */
export interface Publisher {
  readonly sinks: readonly Sink[];
  readonly home: () => Promise<string>;
  /** Region of a publish with no results (a resolve scope alone). */
  readonly region: string;
}

export interface PublishInput {
  readonly results: readonly RuleResult[];
  readonly now: Date;
  /** A complete evaluation of these buckets and/or rules: ACTIVE findings in it that were not reported resolve. */
  readonly resolveMissingFor?: ResolveScope;
  /** The Config evaluations of a Config rule invocation. */
  readonly evaluations?: EvaluationDelivery;
  /** The previous state, when the caller read it already (runtime findings need it to build their results). */
  readonly state?: PreviousState;
  /** Replace object keys by a salted hash (default true; `REPLGUARD_REDACTION=off` switches it off). */
  readonly redactObjectKeys?: boolean;
  /** Redaction salt (else `REPLGUARD_REDACTION_SALT`, else derived from the account id). */
  readonly salt?: string;
  /** Re-record an unchanged ACTIVE finding after this long (default one day), so it stays current and never expires. */
  readonly refreshAfterMs?: number;
  /** Region of a destination bucket (for its resource and console link), when the caller knows it. */
  readonly regionOf?: (bucket: string) => string | undefined;
}

export interface PublishSummary {
  new: number;
  changed: number;
  resolved: number;
  unchanged: number;
  /** Alert messages and events sent, all alert sinks together. */
  messagesSent: number;
  /** Transitions of findings suppressed in Security Hub: recorded there, no alert sent. */
  suppressed: number;
  /** Findings written to the state sink (transitions, content updates, refreshes). */
  imported: number;
  /** What each sink delivered (findings, or evaluations for the Config sink). */
  sinks: Record<string, number>;
  /** What receiving systems answered, per sink and finding, where a sink reports it (PagerDuty). */
  answers: (SinkAnswer & { readonly sink: string })[];
  failed: { id: string; reason: string }[];
  /** Transitions (new, changed, resolved) by `<transition>|<severity>`, for the findings-by-severity metric. */
  bySeverity: Record<string, number>;
}

export const emptySummary = (): PublishSummary => ({
  new: 0,
  changed: 0,
  resolved: 0,
  unchanged: 0,
  messagesSent: 0,
  suppressed: 0,
  imported: 0,
  sinks: {},
  answers: [],
  failed: [],
  bySeverity: {},
});

const missingReason = (scope: ResolveScope | undefined): string =>
  scope?.buckets
    ? 'a complete re-evaluation of the bucket no longer reports it: its replication rule, destination or condition is gone'
    : 'the latest evaluation of this rule no longer reports it';

const plan = (
  results: readonly RuleResult[],
  stored: ReadonlyMap<string, StoredFinding>,
  input: PublishInput,
): FindingItem[] => {
  const previous = new Map<string, PreviousFinding>();
  for (const [id, s] of stored) previous.set(id, s.previous);
  const plans = planFindings(results, previous, {
    now: input.now,
    refreshAfterMs: input.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS,
    ...(input.resolveMissingFor ? { resolveMissingFor: input.resolveMissingFor } : {}),
  });
  return plans.flatMap((p) => {
    const result = p.result ?? stored.get(p.id)?.rebuild(missingReason(input.resolveMissingFor));
    if (!result) return [];
    const planned = withException({ ...p, result });
    const updatedAt = planned.write
      ? nextUpdatedAt(p.id, input.now, p.previous?.updatedAt)
      : input.now.toISOString();
    return [{ ...planned, updatedAt }];
  });
};

/**
 * What a risk exception changes: an ACTIVE finding it covers is recorded with the exception and suppressed
 * (its note the justification), and announces nothing; once ReplGuard's own suppression no longer holds
 * (expired or removed), the finding is unsuppressed and pages as new. A person's suppression is left alone.
 */
const withException = <P extends Omit<FindingItem, 'updatedAt'>>(p: P): P => {
  const { result, previous } = p;
  const excepted = result.exception?.status === 'active';
  const active = isActiveStatus(result.status);
  if (excepted && active) {
    const record = previous?.exceptionUntil !== result.exception?.expires;
    return {
      ...p,
      write: p.write || record,
      ...(!previous?.suppressed && result.exception
        ? { workflow: { status: 'SUPPRESSED' as const, note: exceptionNote(result.exception) } }
        : {}),
    };
  }
  if (previous?.exceptionUntil === undefined || !previous.suppressed) return p;
  const note = `Risk exception ${result.exception ? `expired on ${result.exception.expires}` : 'removed'}: active again.`;
  return {
    ...p,
    write: true,
    workflow: { status: 'NEW' as const, note },
    ...(active ? { transition: 'new' as const } : {}),
  };
};

/** True when an item's transition pages no one: an active risk exception, or a person's suppression. */
const silenced = (i: FindingItem): boolean =>
  i.result.exception?.status === 'active' ||
  (i.previous?.suppressed === true && i.previous.exceptionUntil === undefined);

const add = (summary: PublishSummary, sink: string, delivered: number): void => {
  summary.sinks[sink] = (summary.sinks[sink] ?? 0) + delivered;
};

/**
 * Records items in the state sink. Findings of a member account its Security Hub refuses (role missing, access
 * denied, Security Hub not enabled there) come back failed with the fix, each of them: never dropped, never
 * imported in ReplGuard's own account under a false `AwsAccountId`. ReplGuard's own account refusing throws.
 */
const recordIn = async (state: StateSink, delivery: FindingDelivery): Promise<SinkOutcome> => {
  try {
    return await state.deliver(delivery);
  } catch (error) {
    const reason = memberFailure(error, delivery.accountId ?? delivery.home, delivery.home);
    if (reason === undefined) throw error;
    return {
      delivered: [],
      failed: delivery.items.filter((i) => i.write).map((i) => ({ id: i.id, reason })),
    };
  }
};

/**
 * Records the alerts that did not go out after their transition was recorded, so the next publish of each
 * finding sends them (through the sinks that failed only). A marker that cannot be written is reported as
 * `pending:<id>`.
 */
const recordOwed = async (
  state: StateSink,
  delivery: Omit<FindingDelivery, 'items' | 'recorded'>,
  items: readonly FindingItem[],
  owed: ReadonlyMap<string, readonly string[]>,
  now: Date,
  summary: PublishSummary,
): Promise<void> => {
  const marked = items.flatMap((i) =>
    i.transition && owed.has(i.id)
      ? [
          {
            ...i,
            write: true,
            updatedAt: nextUpdatedAt(i.id, now, i.updatedAt),
            alertPending: { transition: i.transition, sinks: owed.get(i.id) ?? [] },
          },
        ]
      : [],
  );
  const out = await recordIn(state, { ...delivery, items: marked, recorded: false });
  summary.imported += out.delivered.length;
  summary.failed.push(...out.failed.map((f) => ({ id: `pending:${f.id}`, reason: f.reason })));
};

/**
 * Runs the action sinks on the recorded transitions; their notes join the findings' alerts (a sentence of
 * the message, and details).
 */
const act = async (
  publisher: Publisher,
  delivery: FindingDelivery,
  summary: PublishSummary,
): Promise<FindingItem[]> => {
  const notes = new Map<string, AlertNote[]>();
  for (const sink of publisher.sinks.filter(isActionSink)) {
    const out = await sink.deliver(delivery);
    summary.failed.push(...out.failed);
    add(summary, sink.name, out.delivered.length);
    for (const [id, note] of out.notes ?? []) notes.set(id, [...(notes.get(id) ?? []), note]);
  }
  return delivery.items.map((i) => {
    const mine = notes.get(i.id);
    if (!mine) return i;
    return {
      ...i,
      result: {
        ...i.result,
        message: [i.result.message, ...mine.map((n) => n.sentence)].join(' '),
        details: Object.assign({}, i.result.details, ...mine.map((n) => n.details)) as Record<
          string,
          unknown
        >,
      },
    };
  });
};

/** Publishes the findings of one account and Region through the sinks. Adds to `summary`. */
const publishGroup = async (
  publisher: Publisher,
  delivery: Omit<FindingDelivery, 'items' | 'recorded'>,
  results: readonly RuleResult[],
  stored: ReadonlyMap<string, StoredFinding>,
  input: PublishInput,
  summary: PublishSummary,
): Promise<void> => {
  const items = plan(results, stored, input);
  const state = publisher.sinks.find(isStateSink);
  let notRecorded = new Set<string>();
  if (state) {
    const out = await recordIn(state, { ...delivery, items, recorded: false });
    summary.imported += out.delivered.length;
    summary.failed.push(...out.failed);
    add(summary, state.name, out.delivered.length);
    notRecorded = new Set(out.failed.map((f) => f.id));
  }
  const recorded = items.filter((i) => i.transition !== null && !notRecorded.has(i.id));
  const transitions = await act(
    publisher,
    { ...delivery, items: recorded, recorded: state !== undefined },
    summary,
  );
  const alerting = transitions.filter((i) => !silenced(i));
  summary.suppressed += transitions.length - alerting.length;
  const alerts = publisher.sinks.filter(isAlertSink);
  const outcomes = await Promise.all(
    alerts.map((sink) =>
      sink.deliver({
        ...delivery,
        items: alerting.filter((i) => !i.alertSinks || i.alertSinks.includes(sink.name)),
        recorded: state !== undefined,
      }),
    ),
  );
  const owed = new Map<string, string[]>();
  outcomes.forEach((out, k) => {
    const name = alerts[k]?.name ?? 'alert';
    summary.messagesSent += out.messages ?? out.delivered.length;
    summary.failed.push(...out.failed);
    summary.answers.push(...(out.answers ?? []).map((a) => ({ ...a, sink: name })));
    add(summary, name, out.delivered.length);
    for (const f of out.failed) {
      const id = f.id.replace(/^[a-zA-Z]+:/, '');
      owed.set(id, [...new Set([...(owed.get(id) ?? []), name])]);
    }
  });
  if (state && owed.size > 0) await recordOwed(state, delivery, items, owed, input.now, summary);
  for (const i of items) {
    if (notRecorded.has(i.id) || i.outcome === Outcome.None) continue;
    summary[i.outcome as Exclude<typeof i.outcome, 'none'>] += 1;
    if (i.transition) {
      const key = `${i.transition}|${i.result.severity}`;
      summary.bySeverity[key] = (summary.bySeverity[key] ?? 0) + 1;
    }
  }
};

/**
 * Publishes rule results through the publisher's sinks: previous state (given, or read once per account and
 * Region), transitions, the state sink, then alerts for what was recorded, then Config evaluations. Object keys
 * are redacted first. Findings are grouped by the account and Region of their source bucket: the state sink
 * records each group in that account (a member account through its role), the other sinks act in ReplGuard's
 * own. Throws PublishError: at once when ReplGuard's own state cannot be read or its state sink refuses
 * (Security Hub not enabled or not allowed); after everything else was attempted, with code PARTIAL_FAILURE,
 * `failed` and `summary`, when some findings, messages or evaluations still failed (a member account's
 * unreadable state or refused import: each of its findings, with the fix).
 */
export const publishResults = async (publisher: Publisher, input: PublishInput): Promise<PublishSummary> => {
  const home = await publisher.home();
  const redaction = redactionSettings(input, home);
  const redacted = input.results.map((r) => redactResult(r, redaction));
  const state = input.state ?? (await readState(publisher, wantedOf(redacted), input.resolveMissingFor));
  const summary = emptySummary();
  const byGroup = new Map<string, RuleResult[]>();
  for (const r of redacted) {
    const key = stateKey(r.accountId || home, r.region);
    byGroup.set(key, [...(byGroup.get(key) ?? []), r]);
  }
  for (const key of state.keys()) if (!byGroup.has(key)) byGroup.set(key, []);
  if (byGroup.size === 0 && input.resolveMissingFor) byGroup.set(stateKey(home, publisher.region), []);
  for (const [key, group] of byGroup) {
    const unreadable = state.unreadable?.get(key);
    if (unreadable !== undefined) {
      const ids = [...new Set(group.map(findingIdOf))];
      summary.failed.push(
        ...(ids.length ? ids : [`securityHub:${key}`]).map((id) => ({ id, reason: unreadable })),
      );
      continue;
    }
    const { accountId, region } = placeOf(key);
    const delivery = {
      region,
      home,
      accountId,
      ...(input.regionOf ? { regionOf: input.regionOf } : {}),
    };
    await publishGroup(publisher, delivery, group, state.get(key) ?? new Map(), input, summary);
  }
  if (input.evaluations && input.evaluations.evaluations.length > 0) {
    for (const sink of publisher.sinks.filter(isEvaluationSink)) {
      const out = await sink.deliver(input.evaluations);
      summary.failed.push(...out.failed);
      add(summary, sink.name, out.delivered.length);
    }
  }
  if (summary.failed.length > 0) throw partialFailure(summary);
  return summary;
};

const partialFailure = (summary: PublishSummary): PublishError => {
  const shown = summary.failed
    .slice(0, 5)
    .map((f) => `${f.id} (${f.reason})`)
    .join('; ');
  const more = summary.failed.length > 5 ? `; +${summary.failed.length - 5} more` : '';
  return new PublishError(
    `Publishing failed for ${summary.failed.length} item(s) after retries: ${shown}${more}`,
    PublishErrorCode.PartialFailure,
    summary.failed as FailedItem[],
    { summary },
  );
};
