import type { Datum, UnknownDatum } from '../model/datum.js';
import type { Change } from '../model/fix.js';
import type { DestinationBucket, ReplicationRule, Snapshot } from '../model/snapshot.js';
import type { ResourceRef, Rule, RuleResult, Status } from './types.js';

export interface ResultScope {
  readonly destinationBucket?: string | null;
  readonly replicationRuleId?: string | null;
  readonly resources?: readonly ResourceRef[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** What must change for the result to pass (NON_COMPLIANT results): the fix planner merges and proves them. */
  readonly changes?: readonly Change[];
}

/** Builds results for one rule and one snapshot, so rule files only say what and why. */
export interface ResultBuilder {
  compliant(message: string, scope?: ResultScope): RuleResult;
  nonCompliant(message: string, remediation: string, scope?: ResultScope): RuleResult;
  notApplicable(message: string, scope?: ResultScope): RuleResult;
  /** UNKNOWN, naming what could not be read and the permission that would let us read it. */
  unknown(what: string, datum: UnknownDatum, scope?: ResultScope): RuleResult;
}

/** The account of a destination bucket: as read, else as the replication rule names it, else the source's. */
const destinationAccountOf = (snapshot: Snapshot, bucket: string): string => {
  const read = Object.values(snapshot.destinations).find((d) => d.name === bucket);
  if (read) return read.accountId;
  const rules = snapshot.source.replication.known ? (snapshot.source.replication.value?.rules ?? []) : [];
  return rules.find((r) => r.destination.bucket === bucket)?.destination.account ?? snapshot.source.accountId;
};

export const resultsFor = (rule: Rule, snapshot: Snapshot): ResultBuilder => {
  const make = (
    status: Status,
    message: string,
    remediation: string,
    scope: ResultScope = {},
  ): RuleResult => {
    const destinationAccountId = scope.destinationBucket
      ? destinationAccountOf(snapshot, scope.destinationBucket)
      : undefined;
    return {
      ruleId: rule.id,
      status,
      severity: rule.severity,
      bucket: snapshot.source.name,
      destinationBucket: scope.destinationBucket ?? null,
      replicationRuleId: scope.replicationRuleId ?? null,
      message,
      remediation,
      hipaa: rule.hipaa,
      accountId: snapshot.source.accountId,
      region: snapshot.source.region,
      ...(destinationAccountId ? { destinationAccountId } : {}),
      ...(scope.resources ? { resources: scope.resources } : {}),
      ...(scope.details ? { details: scope.details } : {}),
      ...(status === 'NON_COMPLIANT' && scope.changes?.length ? { changes: scope.changes } : {}),
    };
  };
  return {
    compliant: (message, scope) => make('COMPLIANT', message, '', scope),
    nonCompliant: (message, remediation, scope) => make('NON_COMPLIANT', message, remediation, scope),
    notApplicable: (message, scope) => make('NOT_APPLICABLE', message, '', scope),
    unknown: (what, datum, scope) =>
      make('UNKNOWN', `Could not read ${what}: ${datum.reason}.`, unknownFix(what, datum), {
        ...scope,
        details: { ...scope?.details, missingPermission: datum.permission ?? null },
      }),
  };
};

/**
 * The fix for data ReplGuard could not read. A failed AssumeRole is fixed in the other account (deploy or
 * trust the read-only role), not by granting ReplGuard more.
 */
const unknownFix = (what: string, datum: UnknownDatum): string => {
  if (datum.fix) return `${datum.fix} so ReplGuard can read ${what}.`;
  if (datum.permission === 'sts:AssumeRole') {
    const role = /arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+/.exec(datum.reason);
    const where = role ? `${role[0]} in account ${role[1]}` : 'the read-only role in that account';
    return `Deploy ${where} with infra/member-account.yml (it must trust ReplGuard's account), or allow ReplGuard's role sts:AssumeRole on it, so ReplGuard can read ${what}.`;
  }
  return datum.permission
    ? `Grant ReplGuard's role ${datum.permission} so it can read ${what}.`
    : `Make ${what} readable to ReplGuard, then re-run the scan.`;
};

/** One (replication rule, destination) pair of an enabled replication rule. */
export interface RulePath {
  readonly rule: ReplicationRule;
  readonly destination: DestinationBucket | undefined;
  readonly scope: ResultScope;
}

/**
 * Evaluates `judge` for every enabled replication rule of the snapshot, one result each.
 * Handles the cases every per-rule check shares: configuration unreadable (UNKNOWN),
 * no configuration or no enabled rule (NOT_APPLICABLE; `replication_configured` reports those).
 */
export const perReplicationRule = (
  rule: Rule,
  snapshot: Snapshot,
  judge: (path: RulePath, results: ResultBuilder) => RuleResult | readonly RuleResult[],
): RuleResult[] => {
  const results = resultsFor(rule, snapshot);
  const replication = snapshot.source.replication;
  if (!replication.known)
    return [results.unknown(`the replication configuration of ${snapshot.source.name}`, replication)];
  const enabled = replication.value?.rules.filter((r) => r.status === 'Enabled') ?? [];
  if (enabled.length === 0)
    return [results.notApplicable(`${snapshot.source.name} has no enabled replication rule.`)];
  return enabled.flatMap((r) => {
    const scope: ResultScope = { destinationBucket: r.destination.bucket, replicationRuleId: r.id };
    return judge({ rule: r, destination: snapshot.destinations[r.destination.bucketArn], scope }, results);
  });
};

/** Unwraps a datum, or returns the UNKNOWN result for it. */
export const need = <T>(
  datum: Datum<T>,
  what: string,
  results: ResultBuilder,
  scope?: ResultScope,
): { ok: true; value: T } | { ok: false; result: RuleResult } =>
  datum.known ? { ok: true, value: datum.value } : { ok: false, result: results.unknown(what, datum, scope) };
