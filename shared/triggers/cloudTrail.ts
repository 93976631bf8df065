/**
 * The CloudTrail trigger (onConfigChange): an S3, KMS or IAM API call → the buckets it affects, from the
 * account's replication index: the bucket itself and the sources replicating into it, the buckets using a
 * key, the sources replicated by a role (or by the roles a managed policy is attached to). IAM calls arrive
 * from us-east-1 whatever Region the stack runs in; the index spans every Region of the account.
 */
import type { Collector } from '../collect/collector.js';
import { rolesAttachedTo } from '../collect/readers/iam.js';
import { keyResolverFor } from '../collect/replicationIndex.js';
import { ScanSession } from '../collect/session.js';
import type { ClientFactory } from '../aws/clientFactory.js';
import type { ScanParameters } from '../model/snapshot.js';
import { REPORTED, type Target } from '../engine/judge.js';
import type { PathOutcome, Work } from '../engine/path.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { type ApiCall, REPLICATION_CHANGING_CALLS } from '../events/cloudTrail.js';
import type { ReplicationIndex } from '../scope/replicationIndex.js';

export type ApiCallWork = { readonly ignored: string } | { readonly work: Work & { session: ScanSession } };

/** Why a call changes nothing ReplGuard judges, or undefined. */
export const ignoredCall = (call: ApiCall): string | undefined => {
  if (call.errorCode) return 'the call failed, so nothing changed';
  if (!call.target) return 'not a call ReplGuard watches, or it names no bucket, key, role or policy';
  return undefined;
};

/** The buckets a call affects, by name (sources, destinations, key users): read from the index. */
export const affectedBuckets = async (
  session: ScanSession,
  index: ReplicationIndex,
  call: ApiCall,
): Promise<{ evaluate: Set<string>; gone: Set<string> }> => {
  const evaluate = new Set<string>();
  const gone = new Set<string>();
  const target = call.target;
  if (target?.kind === 'bucket') {
    if (call.eventName === 'DeleteBucket') gone.add(target.bucket);
    else evaluate.add(target.bucket);
    for (const source of index.sourcesReplicatingTo(target.bucket)) evaluate.add(source);
  } else if (target?.kind === 'key') {
    for (const bucket of await index.bucketsUsingKey(target.keyId, keyResolverFor(session)))
      evaluate.add(bucket);
  } else if (target) {
    const roles =
      target.kind === 'role'
        ? [target.roleName]
        : await rolesAttachedTo(session, call.accountId, target.policyArn);
    for (const role of roles) for (const source of index.sourcesUsingRole(role)) evaluate.add(source);
  }
  for (const bucket of evaluate) gone.delete(bucket);
  return { evaluate, gone };
};

/**
 * The work of one API call: the affected buckets judged (each with what the index knows of it; one that
 * left scope is NOT_APPLICABLE and its findings resolve), a deleted bucket's findings resolved.
 */
export const apiCallWork = async (
  collector: Collector,
  factory: ClientFactory,
  parameters: ScanParameters,
  call: ApiCall,
  now: number,
): Promise<ApiCallWork> => {
  const why = ignoredCall(call);
  if (why) return { ignored: why };
  const session = new ScanSession(factory, parameters);
  const index = await collector.index(session, call.accountId, now);
  if (call.target?.kind === 'bucket' && REPLICATION_CHANGING_CALLS.has(call.eventName))
    await collector.refreshIndex(session, index, call.target.bucket);
  const affected = await affectedBuckets(session, index, call);
  const targets: Target[] = [...affected.evaluate].sort().map((bucket) => {
    const entry = index.entry(bucket);
    return {
      bucket,
      accountId: call.accountId,
      ...(entry ? { region: entry.region } : {}),
      ...(entry?.facts ? { facts: entry.facts } : {}),
    };
  });
  const gone = [...affected.gone]
    .sort()
    .map((bucket) => ({ bucket, reason: `${call.eventName} removed it` }));
  return { work: { targets, gone, session } };
};

/** What onConfigChange answers. */
export interface ApiCallOutcome {
  readonly eventName: string;
  readonly ignored?: string;
  /** Buckets re-evaluated. */
  readonly evaluated: readonly string[];
  /** Buckets whose findings were resolved because they left scope or no longer exist. */
  readonly resolved: readonly string[];
  readonly summary?: PublishSummary;
}

/** The outcome of a call's work: which buckets were evaluated, which resolved. */
export const apiCallOutcome = (call: ApiCall, work: Work, outcome: PathOutcome): ApiCallOutcome => {
  const of = (reported: boolean) =>
    outcome.judgements.filter((j) => REPORTED.includes(j.kind) === reported).map((j) => j.target.bucket);
  return {
    eventName: call.eventName,
    evaluated: of(true),
    resolved: [...of(false), ...(work.gone ?? []).map((g) => g.bucket)].sort(),
    ...(outcome.summary ? { summary: outcome.summary } : {}),
  };
};
