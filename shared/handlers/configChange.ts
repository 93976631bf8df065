/**
 * onConfigChange: an S3, KMS or IAM API call (CloudTrail via EventBridge) → the buckets it affects (reverse
 * index) → collect and evaluate only those → publish. IAM calls arrive from us-east-1 whatever Region the
 * stack runs in; the index spans every Region of the account, so a role change re-evaluates its buckets
 * wherever they are.
 */
import { IAMClient, ListEntitiesForPolicyCommand } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { ServiceId } from '../aws/endpoint.js';
import { CollectError } from '../collect/errors.js';
import { ScanSession } from '../collect/session.js';
import { mapLimit } from '../engine/scan.js';
import { type ApiCall, REPLICATION_CHANGING_CALLS } from '../events/cloudTrail.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { rules } from '../rules/index.js';
import type { RuleResult } from '../rules/types.js';
import { keyResolverFor, type ReverseIndex, ReverseIndexCache } from './reverseIndex.js';
import type { HandlerDeps } from './runtime.js';

export interface ConfigChangeOutcome {
  readonly eventName: string;
  readonly ignored?: string;
  /** Buckets re-evaluated. */
  readonly evaluated: readonly string[];
  /** Buckets whose findings were resolved because they left scope or no longer exist. */
  readonly resolved: readonly string[];
  readonly summary?: PublishSummary;
}

export interface ConfigChangeOptions {
  /** Lifetime of the cached reverse index (default 5 minutes). */
  readonly indexTtlMs?: number;
}

/** The buckets a call affects: `evaluate` (with whether each is only a replica destination) and `resolve`. */
export interface Affected {
  readonly evaluate: Map<string, { replicaOnly: boolean }>;
  readonly resolve: Set<string>;
}

const rolesAttachedTo = async (
  deps: HandlerDeps,
  accountId: string,
  policyArn: string,
): Promise<string[]> => {
  const iam = await deps.factory().clientIn(IAMClient, ServiceId.IAM, accountId);
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const out = await iam.send(
      new ListEntitiesForPolicyCommand({
        PolicyArn: policyArn,
        EntityFilter: 'Role',
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    names.push(...(out.PolicyRoles ?? []).map((r) => r.RoleName ?? '').filter(Boolean));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return names;
};

/** Resolves what a call affects from the index. */
export const affectedBy = async (
  deps: HandlerDeps,
  session: ScanSession,
  index: ReverseIndex,
  call: ApiCall,
): Promise<Affected> => {
  const affected: Affected = { evaluate: new Map(), resolve: new Set() };
  const add = (bucket: string): void => {
    if (index.isInScope(bucket)) affected.evaluate.set(bucket, { replicaOnly: index.isReplicaOnly(bucket) });
  };
  const target = call.target;
  if (!target) return affected;
  if (target.kind === 'bucket') {
    if (call.eventName === 'DeleteBucket' || !index.isInScope(target.bucket))
      affected.resolve.add(target.bucket);
    else add(target.bucket);
    for (const source of index.sourcesReplicatingTo(target.bucket)) add(source);
  } else if (target.kind === 'key') {
    for (const bucket of await index.bucketsUsingKey(target.keyId, keyResolverFor(session))) add(bucket);
  } else {
    const roles =
      target.kind === 'role'
        ? [target.roleName]
        : await rolesAttachedTo(deps, call.accountId, target.policyArn);
    for (const role of roles) for (const source of index.sourcesUsingRole(role)) add(source);
  }
  for (const bucket of affected.evaluate.keys()) affected.resolve.delete(bucket);
  return affected;
};

/** Builds the onConfigChange behaviour. */
export const configChangeHandler = (deps: HandlerDeps, options: ConfigChangeOptions = {}) => {
  const indexes = new ReverseIndexCache(options.indexTtlMs);
  return async (call: ApiCall, _context?: Context): Promise<ConfigChangeOutcome> => {
    const { logger } = deps.obs;
    const where = {
      eventName: call.eventName,
      service: call.service,
      account: call.accountId,
      region: call.callRegion,
    };
    const ignore = (why: string): ConfigChangeOutcome => {
      logger.info(`API call ignored: ${why}`, {
        ...where,
        ...(call.errorCode ? { errorCode: call.errorCode } : {}),
      });
      count(deps.obs, MetricName.EventsIgnored, 1);
      return { eventName: call.eventName, ignored: why, evaluated: [], resolved: [] };
    };
    if (call.errorCode) return ignore('the call failed, so nothing changed');
    if (!call.target)
      return ignore('not a call ReplGuard watches, or it names no bucket, key, role or policy');
    if (call.service === 'iam' && call.eventRegion !== deps.factory().region)
      logger.info(
        'IAM call forwarded from us-east-1: evaluating the buckets that use the role in every Region',
        where,
      );
    const session = new ScanSession(deps.factory(), deps.parameters());
    const index = await indexes.get(session, call.accountId, deps.now().getTime());
    if (call.target.kind === 'bucket' && REPLICATION_CHANGING_CALLS.has(call.eventName))
      await indexes.refresh(session, index, call.target.bucket);
    const affected = await affectedBy(deps, session, index, call);
    const resolved = new Set(affected.resolve);
    const results: RuleResult[] = [];
    const evaluated: string[] = [];
    await mapLimit([...affected.evaluate], 8, async ([bucket, { replicaOnly }]) => {
      try {
        const snapshot = await deps.collect(session, bucket, {
          accountId: call.accountId,
          isReplicaDestinationOnly: replicaOnly,
        });
        results.push(...deps.evaluate(snapshot));
        evaluated.push(bucket);
      } catch (error) {
        if (!(error instanceof CollectError && error.code === 'BUCKET_NOT_FOUND')) throw error;
        resolved.add(bucket);
      }
    });
    count(deps.obs, MetricName.AffectedBuckets, evaluated.length + resolved.size);
    count(deps.obs, MetricName.Evaluations, evaluated.length);
    logger.info('Buckets affected by the API call', {
      ...where,
      target: call.target,
      evaluated,
      resolved: [...resolved],
    });
    if (evaluated.length === 0 && resolved.size === 0)
      return { eventName: call.eventName, evaluated, resolved: [] };
    const topicArn = deps.topicArn();
    const summary = await deps.publish(deps.factory(), results, {
      securityHub: deps.securityHub(),
      ...(topicArn ? { topicArn } : {}),
      now: deps.now(),
      resolveMissingFor: { buckets: [...evaluated, ...resolved], ruleIds: rules.map((r) => r.id) },
    });
    countPublished(deps.obs, summary);
    return {
      eventName: call.eventName,
      evaluated: evaluated.sort(),
      resolved: [...resolved].sort(),
      summary,
    };
  };
};
