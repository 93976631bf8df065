/**
 * The one path every trigger takes once it has turned its event into work:
 *
 *   work → scope → collect → evaluate (judge.ts) → runtime rules over observations → previous state, read
 *   once → publish through the configured sinks (shared/publish)
 *
 * A trigger module (shared/triggers) only builds the `Work`; what happens to it is decided here, the same
 * way for the CLI and every function.
 */
import type { Collector } from '../collect/collector.js';
import { ScanSession } from '../collect/session.js';
import { findingId, findingIdOf } from '../findings/identity.js';
import { withFixes } from '../fix/attach.js';
import { type Plan, planFixes } from '../fix/planner.js';
import { applyExceptions, EMPTY_EXCEPTIONS, type ExceptionSet } from '../findings/exceptions.js';
import type { ResolveScope } from '../findings/lifecycle.js';
import type { Diagnosis } from '../model/diagnosis.js';
import type { RuleResult } from '../model/result.js';
import type { ScanParameters, Snapshot } from '../model/snapshot.js';
import { type ConfigEvaluation, toConfigEvaluation } from '../publish/configEvaluations.js';
import { PublishError, PublishErrorCode } from '../publish/errors.js';
import {
  emptySummary,
  publishResults,
  type PreviousState,
  type Publisher,
  type PublishSummary,
  readState,
  stateKey,
  type Wanted,
  wantedOf,
} from '../publish/pipeline.js';
import { pairResults } from '../rules/lib/diagnosis.js';
import { runtimeRules } from '../rules/runtime/index.js';
import { rules as catalog } from '../rules/index.js';
import type { RuntimeContext } from '../rules/runtime/types.js';
import type { ClientFactory } from '../aws/clientFactory.js';
import type { FindingKey } from '../findings/identity.js';
import { type Diagnoser, ownerCandidates } from './diagnose.js';
import {
  COMPLETE,
  type Judgement,
  JudgementKind,
  type JudgeOptions,
  judge,
  REPORTED,
  type Target,
} from './judge.js';

/**
 * One observation for a runtime rule (shared/rules/runtime): an event aggregate, an alarm's pair. Built by
 * `observe` so the rule's input type stays with the rule.
 */
export interface Observation {
  readonly ruleId: string;
  /** The source bucket whose diagnosis explains it, and hints of the account that owns it. */
  readonly diagnose?: { readonly bucket: string; readonly accountHints: readonly (string | undefined)[] };
  /** Account hints when it is not diagnosed (or the diagnosis fails). */
  readonly accountHints: readonly (string | undefined)[];
  readonly key: (accountId: string) => FindingKey;
  readonly evaluate: (context: RuntimeContext) => RuleResult;
}

/** An observation of `rule` with `input`, diagnosed on `diagnose` when given. */
export const observe = <I>(
  rule: {
    readonly id: string;
    findingKey: (input: I, accountId: string) => FindingKey;
    evaluate: (input: I, context: RuntimeContext) => RuleResult;
  },
  input: I,
  where: {
    readonly diagnose?: { readonly bucket: string; readonly accountHints: readonly (string | undefined)[] };
    readonly accountHints: readonly (string | undefined)[];
  },
): Observation => ({
  ruleId: rule.id,
  ...(where.diagnose ? { diagnose: where.diagnose } : {}),
  accountHints: where.accountHints,
  key: (accountId) => rule.findingKey(input, accountId),
  evaluate: (context) => rule.evaluate(input, context),
});

/** A bucket known to be gone or out of the rule's scope without reading it (deleted, left scope). */
export interface GoneBucket {
  readonly bucket: string;
  readonly reason: string;
}

/** What a trigger asks of the path. */
export interface Work {
  /** Buckets to judge with the catalog. */
  readonly targets?: readonly Target[];
  readonly judge?: JudgeOptions;
  /** Buckets that are gone or left scope: NOT_APPLICABLE, their findings resolve. */
  readonly gone?: readonly GoneBucket[];
  /** Observations for runtime rules. */
  readonly observations?: readonly Observation[];
  /** An AWS Config rule invocation: one evaluation per judged or gone bucket, under its result token. */
  readonly config?: { readonly resultToken: string; readonly orderingTimestamp: Date };
  /** Judged buckets were evaluated completely: resolve their ACTIVE catalog findings no longer reported (default true). */
  readonly complete?: boolean;
  /** Publish at all (the CLI publishes only with `--publish`). Default true. */
  readonly publish?: boolean;
  /** The scan session the trigger read with (its memo is reused), else a new one. */
  readonly session?: ScanSession;
}

export interface PathOutcome {
  readonly judgements: readonly Judgement[];
  /** Targets not judged (a deadline): a prefix of the targets was judged. */
  readonly remaining: readonly Target[];
  /** Every result: the catalog's, then the runtime rules'. */
  readonly results: readonly RuleResult[];
  readonly evaluations: readonly ConfigEvaluation[];
  /** Undefined when nothing was published. */
  readonly summary?: PublishSummary;
  /** The result of each observation, in order (runtime triggers map failures back to their events). */
  readonly observed: readonly RuleResult[];
  /** What still failed to publish (ids as in PublishSummary.failed); empty on success. */
  readonly failed: readonly { id: string; reason: string }[];
  /** The risk exceptions of the run, with what is wrong with them (to report). */
  readonly exceptions: ExceptionSet;
}

/** What the path runs with (a function's Runtime, or the CLI's equivalent). */
export interface PathContext {
  readonly factory: ClientFactory;
  readonly parameters: ScanParameters;
  readonly collector: Collector;
  readonly evaluate: (snapshot: Snapshot) => RuleResult[];
  readonly publisher: Publisher;
  readonly now: () => Date;
  /** Diagnoses runtime observations (its cache lives as long as the function container). */
  readonly diagnoser?: Diagnoser;
  /** A session to reuse (its memo); default a new one per run. */
  readonly session?: ScanSession;
  /** How long a runtime incident must be quiet before a re-evaluation may close it (default 60 minutes). */
  readonly quietPeriodMs?: number;
  /** The risk exceptions in force (shared/findings/exceptions.ts), read once per run. */
  readonly exceptions?: () => Promise<ExceptionSet>;
}

/** Default quiet period of runtime incidents. */
export const DEFAULT_QUIET_PERIOD_MS = 60 * 60_000;

/** Runtime rules that close their incidents on re-evaluation. */
const REASSESSED = runtimeRules.filter((r) => r.reassess);

/**
 * The ACTIVE runtime findings (replication failures, missed thresholds) of the buckets this run evaluated,
 * reassessed by their rules against the fresh results of their pair: those that resolve, as COMPLIANT results.
 */
const reassessRuntime = (
  judgements: readonly Judgement[],
  state: PreviousState,
  now: Date,
  quietPeriodMs: number,
): RuleResult[] => {
  const evaluated = new Map(
    judgements.filter((j) => j.kind === JudgementKind.Evaluated).map((j) => [j.target.bucket, j.results]),
  );
  return [...state.values()].flatMap((stored) =>
    [...stored.values()].flatMap(({ previous, rebuild }) => {
      const rule = REASSESSED.find((r) => r.id === previous.ruleId);
      const results = previous.bucket ? evaluated.get(previous.bucket) : undefined;
      if (!rule?.reassess || !results || previous.state !== 'ACTIVE') return [];
      const pair = {
        bucket: previous.bucket ?? '',
        destinationBucket: previous.destinationBucket ?? '',
        replicationRuleId: previous.replicationRuleId ?? '',
      };
      const reason = rule.reassess(previous, { pairResults: pairResults(results, pair), now, quietPeriodMs });
      return reason ? [rebuild(reason, 'COMPLIANT')] : [];
    }),
  );
};

const isInScope = (j: Judgement): boolean => REPORTED.includes(j.kind);

/** Region of each destination bucket, from the snapshots (for ASFF resources and console links). */
const regionsOf = (judgements: readonly Judgement[]): ((bucket: string) => string | undefined) => {
  const regions = new Map<string, string>();
  for (const j of judgements)
    for (const d of Object.values(j.snapshot?.destinations ?? {}))
      if (d.region.known) regions.set(d.name, d.region.value);
  return (bucket) => regions.get(bucket);
};

/** Diagnoses every observation that asks for it: one diagnosis per source bucket and hints per run, whatever the cache. */
const diagnoseAll = async (ctx: PathContext, observations: readonly Observation[]) => {
  const home = await ctx.factory.homeAccountId();
  const once = new Map<string, Promise<Diagnosis>>();
  const diagnoses = await Promise.all(
    observations.map((o) => {
      if (!o.diagnose || !ctx.diagnoser) return Promise.resolve<Diagnosis | undefined>(undefined);
      const { bucket, accountHints } = o.diagnose;
      const key = JSON.stringify([bucket, accountHints]);
      if (!once.has(key)) once.set(key, ctx.diagnoser.diagnose(bucket, accountHints));
      return once.get(key);
    }),
  );
  return observations.map((o, i) => {
    const diagnosis = diagnoses[i];
    const accountId = diagnosis?.ok
      ? diagnosis.accountId
      : (ownerCandidates(home, o.accountHints)[0] ?? home);
    return { observation: o, diagnosis, accountId, key: o.key(accountId) };
  });
};

/** The first half of the path: the judged buckets and the diagnosed observations, nothing published. */
export interface Judged {
  /** The risk exceptions applied to every result of the run. */
  readonly exceptions: ExceptionSet;
  readonly judgements: readonly Judgement[];
  readonly remaining: readonly Target[];
  /** The catalog's results over the judged buckets, each failure with its planned fix. */
  readonly results: readonly RuleResult[];
  readonly observed: readonly DiagnosedObservation[];
  /** The fix plan of the judged buckets (shared/fix): merged steps, proven by re-evaluation. */
  readonly plan: Plan;
}

interface DiagnosedObservation {
  readonly observation: Observation;
  readonly diagnosis: Diagnosis | undefined;
  readonly accountId: string;
  readonly key: FindingKey;
}

/** Judges the work's targets and diagnoses its observations. */
export const judgeWork = async (ctx: PathContext, work: Work): Promise<Judged> => {
  const session = work.session ?? ctx.session ?? new ScanSession(ctx.factory, ctx.parameters);
  const { judgements, remaining } = work.targets?.length
    ? await judge(
        {
          session,
          collector: ctx.collector,
          evaluate: ctx.evaluate,
          index: (accountId) => ctx.collector.index(session, accountId, ctx.now().getTime()),
        },
        work.targets,
        work.judge,
      )
    : { judgements: [], remaining: [] };
  const exceptions = (await ctx.exceptions?.()) ?? EMPTY_EXCEPTIONS;
  const now = ctx.now();
  const plan = planFixes(
    judgements.flatMap((j) =>
      j.kind === JudgementKind.Evaluated && j.snapshot ? [{ snapshot: j.snapshot, results: j.results }] : [],
    ),
    ctx.evaluate,
  );
  const excepted = judgements.map((j) => ({
    ...j,
    results: applyExceptions(withFixes(j.results, plan), exceptions, now),
  }));
  return {
    plan,
    exceptions,
    judgements: excepted,
    remaining,
    results: excepted.flatMap((j) => j.results),
    observed: await diagnoseAll(ctx, work.observations ?? []),
  };
};

/**
 * The Config rule invocation's evaluations: one per judged or gone bucket of the rule's own account. A Config
 * evaluation names a resource id only and is recorded for the rule's account (PutEvaluations has no account
 * field), so buckets of other accounts are left to their findings (recorded in their own account).
 */
export const configEvaluations = (
  work: Work,
  judgements: readonly Judgement[],
  home: string,
): ConfigEvaluation[] => {
  const config = work.config;
  if (!config) return [];
  const at = { orderingTimestamp: config.orderingTimestamp };
  return [
    ...judgements
      .filter((j) => j.target.accountId === home)
      .map((j) => toConfigEvaluation(j.target.bucket, j.results, { ...at, inScope: isInScope(j) })),
    ...(work.gone ?? []).map((g) => toConfigEvaluation(g.bucket, [], { ...at, inScope: false })),
  ];
};

/**
 * The second half: read the previous state once (the catalog results' findings, the observations'
 * findings and the resolve scope of the buckets judged completely), build each runtime result once with
 * it, and publish everything through the sinks.
 */
export const publishWork = async (ctx: PathContext, work: Work, judged: Judged): Promise<PathOutcome> => {
  const { judgements, remaining, observed } = judged;
  // Buckets judged completely: an unreadable or undecided one is not (its older findings stay until it can be read).
  const covered = [
    ...judgements.filter((j) => COMPLETE.includes(j.kind)).map((j) => j.target.bucket),
    ...(work.gone ?? []).map((g) => g.bucket),
  ];
  const scope: ResolveScope | undefined =
    (work.complete ?? true) && covered.length > 0
      ? { buckets: [...new Set(covered)], ruleIds: catalog.map((r) => r.id) }
      : undefined;
  const home = await ctx.factory.homeAccountId();
  const evaluations = configEvaluations(work, judgements, home);
  const publishing =
    (work.publish ?? true) &&
    (judged.results.length > 0 || observed.length > 0 || scope !== undefined || evaluations.length > 0);
  const wanted: Wanted[] = [
    ...wantedOf(judged.results),
    ...observed.map((o) => ({
      id: findingId(o.key),
      bucket: o.key.bucket,
      accountId: o.key.accountId,
      region: o.key.region,
    })),
    // Buckets of other accounts judged completely: their findings (to resolve) live in their own account.
    ...judgements.flatMap((j) => {
      const region = j.target.region ?? j.results[0]?.region;
      return COMPLETE.includes(j.kind) && region && j.target.accountId !== home
        ? [{ bucket: j.target.bucket, accountId: j.target.accountId, region }]
        : [];
    }),
  ];
  const evaluated = judgements.filter((j) => j.kind === JudgementKind.Evaluated).map((j) => j.target.bucket);
  const watch =
    evaluated.length > 0 ? { buckets: evaluated, ruleIds: REASSESSED.map((r) => r.id) } : undefined;
  const state: PreviousState = publishing ? await readState(ctx.publisher, wanted, scope, watch) : new Map();
  const runtimeResults = observed.map(({ observation, diagnosis, accountId, key }) => {
    const previous = state.get(stateKey(key.accountId, key.region))?.get(findingId(key))?.previous;
    return observation.evaluate({
      accountId,
      ...(diagnosis ? { diagnosis } : {}),
      ...(previous ? { previous } : {}),
    });
  });
  const reported = new Set(runtimeResults.map(findingIdOf));
  const reassessed = reassessRuntime(
    judgements,
    state,
    ctx.now(),
    ctx.quietPeriodMs ?? DEFAULT_QUIET_PERIOD_MS,
  ).filter((r) => !reported.has(findingIdOf(r)));
  const runtime = applyExceptions([...runtimeResults, ...reassessed], judged.exceptions, ctx.now());
  const results = [...judged.results, ...runtime];
  const base = {
    judgements,
    remaining,
    results,
    evaluations,
    observed: runtime.slice(0, runtimeResults.length),
    exceptions: judged.exceptions,
  };
  if (!publishing) return { ...base, failed: [] };
  try {
    const summary = await publishResults(ctx.publisher, {
      results,
      now: ctx.now(),
      state,
      regionOf: regionsOf(judgements),
      ...(scope ? { resolveMissingFor: scope } : {}),
      ...(work.config && evaluations.length > 0
        ? { evaluations: { resultToken: work.config.resultToken, evaluations } }
        : {}),
    });
    return { ...base, summary, failed: [] };
  } catch (error) {
    if (!(error instanceof PublishError && error.code === PublishErrorCode.PartialFailure)) throw error;
    return { ...base, summary: error.summary ?? emptySummary(), failed: error.failed };
  }
};

/** Runs the whole path: judge, observe, read the previous state once, publish. */
export const runPath = async (ctx: PathContext, work: Work): Promise<PathOutcome> =>
  publishWork(ctx, work, await judgeWork(ctx, work));

/** Rethrows a partial publishing failure (for triggers whose retry is the whole invocation). */
export const throwIfFailed = (outcome: PathOutcome): PathOutcome => {
  if (outcome.failed.length === 0) return outcome;
  const shown = outcome.failed
    .slice(0, 5)
    .map((f) => `${f.id} (${f.reason})`)
    .join('; ');
  throw new PublishError(
    `Publishing failed for ${outcome.failed.length} item(s) after retries: ${shown}`,
    PublishErrorCode.PartialFailure,
    outcome.failed,
    ...(outcome.summary ? [{ summary: outcome.summary }] : []),
  );
};
