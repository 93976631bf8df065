/**
 * The CloudTrail trigger (onConfigChange): an S3, KMS or IAM API call → the buckets it affects, from the
 * account's replication index: the bucket itself and the sources replicating into it, the buckets using a
 * key, the sources replicated by a role (or by the roles a managed policy is attached to). IAM calls arrive
 * from us-east-1 whatever Region the stack runs in; the index spans every Region of the account.
 *
 * With the Organization-wide edge index (shared/scope/edges.ts, `REPLGUARD_EDGES_TABLE`), the sources in
 * other accounts are added: a DR account's bucket policy, versioning or replica key change re-evaluates the
 * sources replicating into it, wherever they are. The calls that change a source's replication keep the
 * index up to date. An index that cannot be read or written is never a silent drop: the account's own index
 * still gives its buckets, the outcome says the lookup failed, and the handler fails the invocation after
 * publishing (Lambda retries it, then keeps it in the failed-events queue).
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
import { type EdgeLookup, type EdgeStore, edgesOf, type SourceRef, withKeyIds } from '../scope/edges.js';
import { EdgeStoreError } from '../collect/errors.js';
import { arns, partitionOf } from '../model/partition.js';

/** What the Organization-wide edge index gave a call: the sources found (any account), or why it could not. */
export type EdgeIndexUse =
  | { readonly sources: readonly SourceRef[] }
  | { readonly sources: readonly SourceRef[]; readonly failed: EdgeStoreError };

export type ApiCallWork =
  | { readonly ignored: string }
  | { readonly work: Work & { session: ScanSession }; readonly edges?: EdgeIndexUse };

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
): Promise<{ evaluate: Set<string>; gone: Set<string>; lookups: EdgeLookup[] }> => {
  const evaluate = new Set<string>();
  const gone = new Set<string>();
  const lookups: EdgeLookup[] = [];
  const target = call.target;
  if (target?.kind === 'bucket') {
    if (call.eventName === 'DeleteBucket') gone.add(target.bucket);
    else evaluate.add(target.bucket);
    for (const source of index.sourcesReplicatingTo(target.bucket)) evaluate.add(source);
    lookups.push({ kind: 'destination', bucket: target.bucket });
  } else if (target?.kind === 'key') {
    for (const bucket of await index.bucketsUsingKey(target.keyId, keyResolverFor(session)))
      evaluate.add(bucket);
    lookups.push({ kind: 'key', keyId: target.keyId });
  } else if (target) {
    const roles =
      target.kind === 'role'
        ? [target.roleName]
        : await rolesAttachedTo(session, call.accountId, target.policyArn);
    for (const role of roles) for (const source of index.sourcesUsingRole(role)) evaluate.add(source);
    const partition = partitionOf(call.eventRegion);
    for (const role of roles)
      lookups.push({ kind: 'role', roleArn: arns.role(partition, call.accountId, role) });
  }
  for (const bucket of evaluate) gone.delete(bucket);
  return { evaluate, gone, lookups };
};

/**
 * Keeps the edge index up to date when a call changed a source's replication: PutBucketReplication writes
 * the edges of the configuration just read (an unreadable one leaves the stored edges: its source is
 * reported UNKNOWN, and the sweep rewrites them), DeleteBucketReplication and DeleteBucket forget the source.
 */
const recordEdges = async (
  store: EdgeStore,
  session: ScanSession,
  index: ReplicationIndex,
  call: ApiCall,
): Promise<void> => {
  if (call.target?.kind !== 'bucket' || !REPLICATION_CHANGING_CALLS.has(call.eventName)) return;
  const bucket = call.target.bucket;
  const entry = index.entry(bucket);
  if (call.eventName !== 'PutBucketReplication' || !entry)
    return store.removeSource({ bucket, accountId: call.accountId });
  if (entry.replication === undefined) return;
  const source = { bucket, accountId: call.accountId, region: entry.region };
  const edges = await withKeyIds(edgesOf(source, entry.replication), keyResolverFor(session));
  await store.putSource(source, edges);
};

const asEdgeStoreError = (error: unknown): EdgeStoreError =>
  error instanceof EdgeStoreError
    ? error
    : new EdgeStoreError(`The replication edge index failed: ${String(error)}`, 'EDGES_UNREADABLE', {
        cause: error,
      });

/** The sources (in any account) the edge index names for the call's lookups, after recording its change. */
export const edgeIndexUse = async (
  store: EdgeStore,
  session: ScanSession,
  index: ReplicationIndex,
  call: ApiCall,
  lookups: readonly EdgeLookup[],
): Promise<EdgeIndexUse> => {
  let failed: EdgeStoreError | undefined;
  await recordEdges(store, session, index, call).catch((e: unknown) => (failed = asEdgeStoreError(e)));
  const found = await Promise.all(lookups.map((l) => store.sourcesOf(l))).catch((e: unknown) => {
    failed ??= asEdgeStoreError(e);
    return [];
  });
  const sources = [...new Map(found.flat().map((s) => [`${s.accountId}/${s.bucket}`, s])).values()];
  return failed ? { sources, failed } : { sources };
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
  edges?: EdgeStore,
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
  const used = edges ? await edgeIndexUse(edges, session, index, call, affected.lookups) : undefined;
  // Sources of other accounts (the call's own are in its index, with their facts), read through the member role.
  const elsewhere = (used?.sources ?? [])
    .filter((s) => s.accountId !== call.accountId || !affected.evaluate.has(s.bucket))
    .filter((s) => !(s.accountId === call.accountId && affected.gone.has(s.bucket)))
    .sort((a, b) => `${a.accountId}/${a.bucket}`.localeCompare(`${b.accountId}/${b.bucket}`))
    .map((s): Target => ({ bucket: s.bucket, accountId: s.accountId, region: s.region }));
  const gone = [...affected.gone]
    .sort()
    .map((bucket) => ({ bucket, reason: `${call.eventName} removed it` }));
  return { work: { targets: [...targets, ...elsewhere], gone, session }, ...(used ? { edges: used } : {}) };
};

/**
 * The error that fails an invocation whose edge index lookup failed, after its own account's buckets were
 * judged and published: Lambda retries the event, then keeps it in the failed-events queue.
 */
export const edgeIndexFailure = (built: { readonly edges?: EdgeIndexUse }): EdgeStoreError | undefined =>
  built.edges && 'failed' in built.edges
    ? new EdgeStoreError(
        `Only the event account's own replication index was used: ${built.edges.failed.message}`,
        built.edges.failed.code,
        { cause: built.edges.failed },
      )
    : undefined;

/** What onConfigChange answers. */
export interface ApiCallOutcome {
  readonly eventName: string;
  readonly ignored?: string;
  /** Buckets re-evaluated. */
  readonly evaluated: readonly string[];
  /** Buckets whose findings were resolved because they left scope or no longer exist. */
  readonly resolved: readonly string[];
  readonly summary?: PublishSummary;
  /**
   * With the Organization-wide edge index: the sources it named (any account, as `<account>/<bucket>`), or
   * why it could not be used (then only the event account's own index was).
   */
  readonly edgeIndex?: { readonly sources: readonly string[]; readonly failed?: string };
}

/** The outcome of a call's work: which buckets were evaluated, which resolved. */
export const apiCallOutcome = (
  call: ApiCall,
  work: Work,
  outcome: PathOutcome,
  edges?: EdgeIndexUse,
): ApiCallOutcome => {
  const of = (reported: boolean) =>
    outcome.judgements.filter((j) => REPORTED.includes(j.kind) === reported).map((j) => j.target.bucket);
  return {
    eventName: call.eventName,
    evaluated: of(true),
    resolved: [...of(false), ...(work.gone ?? []).map((g) => g.bucket)].sort(),
    ...(outcome.summary ? { summary: outcome.summary } : {}),
    ...(edges
      ? {
          edgeIndex: {
            sources: edges.sources.map((s) => `${s.accountId}/${s.bucket}`).sort(),
            ...('failed' in edges ? { failed: edges.failed.message } : {}),
          },
        }
      : {}),
  };
};
