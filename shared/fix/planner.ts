/**
 * The fix planner. For one scan: every change the failing results ask for, merged by resource into steps
 * (shared/fix/steps.ts), applied to copies of the snapshots and judged again by the whole catalog. What the
 * re-evaluation still finds failing is fixed too (a new bucket gets every setting the catalog requires;
 * Bucket Keys bring their KMS condition), up to a fixed point. A result's steps are printed only when it
 * then passes and nothing it led to fails; otherwise the plan says which decision a person must make.
 */
import type { Change, FixStep, ResultFix } from '../model/fix.js';
import type { RuleResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';
import { blocksReplication } from '../rules/lib/blocking.js';
import { guardStep } from './guard.js';
import { resourceKeyOf as keyOf } from './resources.js';
import { affects, applySteps } from './simulate.js';
import { buildSteps, type Blocked, type Step } from './steps.js';
import { World } from './world.js';

export interface PlanUnit {
  readonly snapshot: Snapshot;
  readonly results: readonly RuleResult[];
}

/** A result's identity across evaluations (rule, source, destination, replication rule). */
export const resultKey = (
  r: Pick<RuleResult, 'ruleId' | 'accountId' | 'bucket' | 'destinationBucket' | 'replicationRuleId'>,
): string =>
  [r.ruleId, r.accountId, r.bucket, r.destinationBucket ?? '', r.replicationRuleId ?? ''].join('|');

interface Tracked {
  readonly change: Change;
  /** The originally failing results this change serves. */
  readonly roots: ReadonlySet<string>;
}

export interface Plan {
  /** The proven steps, numbered, in the order to run them. */
  readonly steps: readonly FixStep[];
  /** The steps as the planner holds them (operations for `--apply`), same order. */
  readonly internal: readonly Step[];
  /** Per originally failing result (by `resultKey`): its steps, or the decision it waits on. */
  readonly fixes: ReadonlyMap<string, ResultFix>;
  /** What could not be verified before applying (data the simulation could not judge). */
  readonly caveats: readonly string[];
  /** Rounds of re-evaluation it took. */
  readonly rounds: number;
}

export const EMPTY_PLAN: Plan = { steps: [], internal: [], fixes: new Map(), caveats: [], rounds: 0 };

const MAX_ROUNDS = 6;
const BACKFILL_RULE = 'replication_backlog_objects';

const failing = (r: RuleResult) => r.status === 'NON_COMPLIANT';
const passes = (r: RuleResult | undefined) =>
  r === undefined || r.status === 'COMPLIANT' || r.status === 'NOT_APPLICABLE';

const changeId = (c: Change): string => JSON.stringify(c);

/**
 * Whether `c` changes what result `r` judges (to attribute a failure that appears once the plan is applied
 * to the changes that led to it): for a result about a destination, that destination's settings and policy,
 * and the replication rule that writes to it; for a result about the source alone, the source's settings.
 */
/** The kinds of change that can turn a rule's verdict (attribution only; a rule not listed: any kind). */
const AFFECTED_BY: Readonly<Record<string, readonly Change['kind'][]>> = {
  versioning_source_enabled: ['versioning'],
  versioning_destination_enabled: ['versioning', 'create-bucket'],
  encryption_at_rest_kms: ['encryption', 'create-bucket', 'create-key'],
  tls_only_policy: ['policy', 'create-bucket'],
  object_lock_destination_enabled: ['object-lock', 'create-bucket', 'replication'],
  object_lock_mode_consistent: ['object-lock', 'create-bucket', 'replication'],
  replication_metrics_enabled: ['replication'],
  replication_time_control: ['replication'],
  replication_cross_region: ['replication', 'create-bucket'],
  replication_destination_reachable: ['replication', 'create-bucket'],
  pending_replication_alarm: ['alarm', 'alarm-actions', 'replication'],
  failure_notifications_configured: ['notification', 'topic', 'replication'],
  cloudtrail_data_events: ['trail-selectors', 'trail-logging', 'create-bucket', 'replication'],
  replication_configured: ['replication'],
  kms_source_decrypt_allowed: ['policy', 'key-state', 'encryption', 'create-key'],
  kms_destination_encrypt_allowed: ['policy', 'encryption', 'replication', 'create-key', 'key-state'],
  kms_replica_key_configured: ['replication', 'create-key', 'key-state', 'encryption'],
  kms_encrypted_objects_replicated: ['replication', 'encryption'],
  role_trusts_s3: ['policy', 'create-role'],
  role_source_permissions: ['policy', 'create-role', 'replication', 'object-lock'],
  role_destination_permissions: ['policy', 'create-role', 'replication'],
  destination_policy_allows_role: ['policy', 'create-bucket', 'replication'],
  replication_backlog_objects: ['backfill'],
};

const relatedTo = (c: Change, r: RuleResult): boolean => {
  const kinds = AFFECTED_BY[r.ruleId];
  if (kinds && !kinds.includes(c.kind)) return false;
  return touchesPath(c, r);
};

const touchesPath = (c: Change, r: RuleResult): boolean => {
  const d = r.destinationBucket;
  const bucketOf = (): string | undefined => {
    switch (c.kind) {
      case 'create-bucket':
      case 'versioning':
      case 'encryption':
      case 'object-lock':
      case 'notification':
        return c.bucket;
      case 'policy':
        return c.holder.kind === 'bucket-policy' ? c.holder.bucket : undefined;
      default:
        return undefined;
    }
  };
  if (c.kind === 'replication')
    return (
      c.bucket === r.bucket &&
      ((c.additions ?? []).some((a) => a.destinationBucket === d || a.ruleId === r.replicationRuleId) ||
        (c.patches ?? []).some((p) => p.ruleId === r.replicationRuleId))
    );
  return bucketOf() === (d ?? r.bucket);
};

interface Round {
  readonly steps: Step[];
  readonly blocked: Blocked[];
  readonly after: RuleResult[][];
}

const runRound = (
  units: readonly PlanUnit[],
  world: World,
  tracked: readonly Tracked[],
  evaluate: (s: Snapshot) => RuleResult[],
): Round => {
  const built = buildSteps(
    tracked.map((t) => t.change),
    world,
    units[0]?.snapshot.source.region ?? 'us-east-1',
  );
  const refused = built.steps.flatMap((s) => {
    const why = guardStep(s, world);
    return why ? [{ key: s.key, change: s.change, why }] : [];
  });
  const steps = built.steps.filter((s) => !refused.some((r) => r.key === s.key));
  // Only snapshots a step changes are judged again (a scheduled run plans for many buckets at once).
  const after = units.map((u) =>
    steps.some((step) => affects(step, u.snapshot))
      ? evaluate(applySteps(u.snapshot, steps))
      : [...u.results],
  );
  return { steps, blocked: [...built.blocked, ...refused], after };
};

/** The fixed point: changes of results that fail once the current steps are applied, attributed to their roots. */
const extend = (
  units: readonly PlanUnit[],
  world: World,
  start: readonly Tracked[],
  evaluate: (s: Snapshot) => RuleResult[],
  withheld: ReadonlySet<string> = new Set(),
) => {
  const tracked = [...start];
  const seen = new Set(tracked.map((t) => changeId(t.change)));
  let round = runRound(units, world, tracked, evaluate);
  let rounds = 1;
  for (; rounds < MAX_ROUNDS; rounds++) {
    const added: Tracked[] = [];
    round.after.forEach((results, i) => {
      for (const r of results.filter(failing)) {
        // A result left to a person stays so: its changes are not brought back through another's.
        if (withheld.has(resultKey(r))) continue;
        const fresh = (r.changes ?? []).filter((c) => !seen.has(changeId(c)));
        if (fresh.length === 0) continue;
        const related = tracked.filter((t) => relatedTo(t.change, r));
        const unit = units[i];
        const sameUnit = tracked.filter((t) =>
          [...t.roots].some((k) => k.split('|')[2] === unit?.snapshot.source.name),
        );
        const roots = new Set([...(related.length ? related : sameUnit)].flatMap((t) => [...t.roots]));
        if (roots.size === 0) roots.add(resultKey(r));
        for (const c of fresh) {
          seen.add(changeId(c));
          added.push({ change: c, roots });
        }
      }
    });
    if (added.length === 0) break;
    tracked.push(...added);
    round = runRound(units, world, tracked, evaluate);
  }
  return { tracked, round, rounds };
};

/**
 * Plans the fixes of a scan. `evaluate` is the catalog (pure). Results without `changes` (UNKNOWN ones, or
 * failures only a person can resolve) get a decision, never a guessed command.
 */
export const planFixes = (units: readonly PlanUnit[], evaluate: (s: Snapshot) => RuleResult[]): Plan => {
  const before = new Map(units.flatMap((u) => u.results.map((r) => [resultKey(r), r] as const)));
  const targets = [...before.values()].filter(failing);
  if (targets.length === 0) return EMPTY_PLAN;
  const world = new World(units.map((u) => u.snapshot));
  const initial: Tracked[] = targets.flatMap((r) =>
    (r.changes ?? []).map((change) => ({ change, roots: new Set([resultKey(r)]) })),
  );
  let withheld = new Set<string>();
  let outcome = extend(units, world, initial, evaluate);
  const reasons = new Map<string, string[]>();
  // Withhold the roots whose chain does not end in a pass, and plan the rest again without them.
  for (let pass = 0; pass < MAX_ROUNDS; pass++) {
    const afterByKey = new Map(outcome.round.after.flat().map((r) => [resultKey(r), r] as const));
    const unproven = new Set<string>();
    for (const r of targets) {
      const key = resultKey(r);
      if (withheld.has(key)) continue;
      const mine = outcome.tracked.filter((t) => t.roots.has(key));
      const why: string[] = [];
      for (const t of mine) if (t.change.kind === 'decision') why.push(t.change.text);
      for (const b of outcome.round.blocked) if (mine.some((t) => keyOf(t.change) === b.key)) why.push(b.why);
      const now = afterByKey.get(key);
      // A result with no change of its own may pass through another's (a rule pointed at another key).
      if (mine.length === 0 && !passes(now)) why.push('no change ReplGuard can make safely on its own');
      if (!passes(now) && why.length === 0)
        why.push(`after the planned changes it still fails: ${now?.message ?? ''}`);
      // Results the chain leads to (same buckets) that fail after it and did not before.
      for (const a of outcome.round.after.flat()) {
        if (!failing(a) || before.get(resultKey(a))?.status === 'NON_COMPLIANT') continue;
        if (mine.some((t) => relatedTo(t.change, a)) && (a.changes ?? []).length === 0)
          why.push(`${a.ruleId} would fail on ${a.destinationBucket ?? a.bucket}: ${a.message}`);
      }
      // A backfill only helps once the pair replicates: not while a blocking failure waits on a person.
      if (r.ruleId === BACKFILL_RULE)
        for (const b of targets)
          if (
            blocksReplication(b.ruleId) &&
            b.bucket === r.bucket &&
            b.accountId === r.accountId &&
            (withheld.has(resultKey(b)) || unproven.has(resultKey(b)))
          )
            why.push(`replication must work first, and ${b.ruleId} needs a decision.`);
      if (why.length > 0 || !passes(now)) {
        unproven.add(key);
        reasons.set(key, [...new Set(why)]);
      }
    }
    if (unproven.size === 0) break;
    withheld = new Set([...withheld, ...unproven]);
    const kept = initial.filter((t) => ![...t.roots].some((k) => withheld.has(k)));
    outcome = extend(units, world, kept, evaluate, withheld);
  }
  return numbered(outcome, targets, withheld, reasons, units);
};

const numbered = (
  outcome: { tracked: Tracked[]; round: Round; rounds: number },
  targets: readonly RuleResult[],
  withheld: ReadonlySet<string>,
  reasons: ReadonlyMap<string, string[]>,
  units: readonly PlanUnit[],
): Plan => {
  const { round, tracked } = outcome;
  const number = new Map(round.steps.map((s, i) => [s.key, i + 1]));
  const rootsOfStep = (s: Step) =>
    new Set(tracked.filter((t) => keyOf(t.change) === s.key).flatMap((t) => [...t.roots]));
  const steps: FixStep[] = round.steps.map((s, i) => ({
    step: i + 1,
    resource: s.resource,
    resourceType: s.resourceType,
    resourceArn: s.resourceArn,
    accountId: s.accountId,
    region: s.region,
    command: s.command,
    summary: s.summary,
    fixes: [...new Set([...rootsOfStep(s)].map((k) => k.split('|')[0] ?? ''))].sort(),
    after: [...new Set(s.needs.flatMap((n) => (number.has(n) ? [number.get(n) as number] : [])))].sort(
      (a, b) => a - b,
    ),
  }));
  const byNumber = new Map(steps.map((s) => [s.step, s]));
  const withDeps = (start: number[]): number[] => {
    const out = new Set<number>();
    const visit = (n: number) => {
      if (out.has(n)) return;
      out.add(n);
      for (const d of byNumber.get(n)?.after ?? []) visit(d);
    };
    start.forEach(visit);
    return [...out].sort((a, b) => a - b);
  };
  const afterByKey = new Map(round.after.flat().map((r) => [resultKey(r), r] as const));
  const fixes = new Map<string, ResultFix>();
  for (const r of targets) {
    const key = resultKey(r);
    if (withheld.has(key)) {
      fixes.set(key, {
        steps: [],
        proven: false,
        decision: (reasons.get(key) ?? ['no change ReplGuard can prove']).join(' '),
      });
      continue;
    }
    let own = round.steps.filter((s) => rootsOfStep(s).has(key)).map((s) => number.get(s.key) as number);
    // Fixed by the steps of the other results of the same path (e.g. the rule pointed at another key).
    if (own.length === 0)
      own = round.steps
        .filter((s) =>
          [...rootsOfStep(s)].some((k) => {
            const [, account, bucket, destination] = k.split('|');
            return (
              account === r.accountId && bucket === r.bucket && destination === (r.destinationBucket ?? '')
            );
          }),
        )
        .map((s) => number.get(s.key) as number);
    fixes.set(key, { steps: withDeps(own), proven: passes(afterByKey.get(key)) });
  }
  const caveats = [
    ...new Set(
      round.after
        .flat()
        .filter(
          (r) =>
            r.status === 'UNKNOWN' &&
            units.every((u) => !u.results.some((b) => resultKey(b) === resultKey(r))),
        )
        .map(
          (r) =>
            `${r.ruleId} on ${r.destinationBucket ?? r.bucket} could not be judged before applying: ${r.message}`,
        ),
    ),
  ];
  // A step fixes every result whose fix includes it (its own, and those it is a prerequisite of).
  const fixing = (n: number) =>
    targets.filter((r) => fixes.get(resultKey(r))?.steps.includes(n)).map((r) => r.ruleId);
  const described = steps.map((s) => ({ ...s, fixes: [...new Set([...s.fixes, ...fixing(s.step)])].sort() }));
  return { steps: described, internal: round.steps, fixes, caveats, rounds: outcome.rounds };
};
