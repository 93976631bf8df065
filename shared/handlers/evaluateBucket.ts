/**
 * evaluateBucket, the AWS Config custom rule: a changed bucket (its configuration item, or for an oversized
 * item the one GetResourceConfigHistory returns) is collected, evaluated and published with its Config
 * evaluation; a bucket that left scope or was deleted is NOT_APPLICABLE and its findings resolve. The
 * periodic trigger is handled by scheduledRun.ts.
 */
import { ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import type { Context } from 'aws-lambda';
import { ServiceId } from '../aws/endpoint.js';
import { awsErrorCode } from '../aws/errors.js';
import { isNotInItem, normaliseConfigItem, S3_BUCKET_RESOURCE_TYPE } from '../collect/fromConfigItem.js';
import { readScopeFacts } from '../collect/liveSnapshot.js';
import { ScanSession } from '../collect/session.js';
import type { ChangeInvocation, ConfigInvocation, OversizedInvocation } from '../events/configRule.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { toConfigEvaluation } from '../publish/configEvaluations.js';
import { rules } from '../rules/index.js';
import type { RuleResult } from '../rules/types.js';
import { ReverseIndexCache } from './reverseIndex.js';
import type { HandlerDeps } from './runtime.js';
import { runScheduled, type ScheduledOptions, type ScheduledOutcome } from './scheduledRun.js';

export type EvaluateBucketOutcome =
  | {
      readonly kind: 'change' | 'oversized';
      readonly bucket: string;
      readonly compliance: string;
      readonly reason?: string;
      readonly summary?: PublishSummary;
    }
  | ({ readonly kind: 'scheduled' } & ScheduledOutcome)
  | { readonly kind: 'ignored'; readonly reason: string };

/** Config item statuses of a resource that is gone or no longer recorded. */
const GONE = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

/** The configuration item of an oversized notification, from GetResourceConfigHistory (latest first). */
export const fetchConfigItem = async (
  deps: HandlerDeps,
  invocation: OversizedInvocation,
): Promise<Record<string, unknown> | null> => {
  const config = deps.factory().client(ConfigServiceClient, ServiceId.Config, { region: invocation.region });
  let item;
  try {
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: invocation.resourceType as never,
        resourceId: invocation.resourceId,
        limit: 1,
      }),
    );
    item = out.configurationItems?.[0];
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotDiscoveredException') return null;
    throw error;
  }
  // JSON round trip: Dates become the ISO text Config's own events carry.
  return item ? (JSON.parse(JSON.stringify(item)) as Record<string, unknown>) : null;
};

const itemStatus = (item: Readonly<Record<string, unknown>>): string | undefined =>
  typeof item.configurationItemStatus === 'string' ? item.configurationItemStatus : undefined;

/** Builds the evaluateBucket behaviour. */
export const evaluateBucketHandler = (
  deps: HandlerDeps,
  options: ScheduledOptions & { indexTtlMs?: number } = {},
) => {
  const indexes = new ReverseIndexCache(options.indexTtlMs);

  const publishBucket = async (
    invocation: ChangeInvocation | OversizedInvocation,
    bucket: string,
    results: readonly RuleResult[],
    inScope: boolean,
    reason?: string,
  ): Promise<EvaluateBucketOutcome> => {
    const evaluation = toConfigEvaluation(bucket, results, {
      orderingTimestamp: invocation.orderingTimestamp,
      inScope,
    });
    const topicArn = deps.topicArn();
    const summary = await deps.publish(deps.factory(), results, {
      securityHub: deps.securityHub(),
      ...(topicArn ? { topicArn } : {}),
      now: deps.now(),
      config: {
        resultToken: invocation.resultToken,
        orderingTimestamp: invocation.orderingTimestamp,
        evaluations: [evaluation],
      },
      resolveMissingFor: { buckets: [bucket], ruleIds: rules.map((r) => r.id) },
    });
    countPublished(deps.obs, summary);
    deps.obs.logger.info('Bucket evaluated', {
      bucket,
      compliance: evaluation.ComplianceType,
      reason,
      summary,
    });
    return {
      kind: invocation.kind,
      bucket,
      compliance: evaluation.ComplianceType,
      ...(reason ? { reason } : {}),
      summary,
    };
  };

  const evaluateItem = async (
    invocation: ChangeInvocation | OversizedInvocation,
    item: Readonly<Record<string, unknown>> | null,
  ) => {
    const bucket =
      invocation.kind === 'oversized'
        ? (invocation.resourceName ?? invocation.resourceId)
        : invocation.resourceId;
    if (invocation.eventLeftScope)
      return publishBucket(invocation, bucket, [], false, 'the bucket left the rule scope');
    const status = item ? itemStatus(item) : invocation.kind === 'oversized' ? invocation.status : undefined;
    if (!item || (status && GONE.has(status)))
      return publishBucket(invocation, bucket, [], false, `the bucket is ${status ?? 'not recorded'}`);
    const normalised = normaliseConfigItem(item);
    if (normalised.deleted)
      return publishBucket(invocation, normalised.name, [], false, 'the bucket was deleted');
    const source = normalised.source;
    const parameters = invocation.parameters;
    const session = new ScanSession(deps.factory(), parameters);
    // Scope needs the replication configuration and the tags: read them live when the item lacks them.
    const scope =
      isNotInItem(source.replication) || isNotInItem(source.tags)
        ? await readScopeFacts(session, source.accountId, source.name, source.region)
        : { replication: source.replication, tags: source.tags };
    const tagged =
      scope.tags.known && scope.tags.value[parameters.scopeTag.key] === parameters.scopeTag.value;
    const replicated = !scope.replication.known || scope.replication.value !== null;
    if (!replicated && !tagged)
      return publishBucket(
        invocation,
        source.name,
        [],
        false,
        'no replication configuration and no scope tag',
      );
    const replicaOnly =
      !replicated &&
      (await indexes.get(session, source.accountId, deps.now().getTime())).sourcesReplicatingTo(source.name)
        .length > 0;
    const snapshot = await deps.collectFromConfigItem(session, item, {
      isReplicaDestinationOnly: replicaOnly,
    });
    if (!snapshot) return publishBucket(invocation, source.name, [], false, 'the bucket was deleted');
    count(deps.obs, MetricName.Evaluations, 1);
    return publishBucket(invocation, source.name, deps.evaluate(snapshot), true);
  };

  return async (invocation: ConfigInvocation, context?: Context): Promise<EvaluateBucketOutcome> => {
    if (invocation.kind === 'scheduled') {
      const outcome = await runScheduled(deps, invocation, context, { ...options, indexes });
      return { kind: 'scheduled', ...outcome };
    }
    if (invocation.resourceType !== S3_BUCKET_RESOURCE_TYPE) {
      const reason = `${invocation.resourceType} is not an S3 bucket: the rule's scope should be AWS::S3::Bucket`;
      deps.obs.logger.warn('Configuration change ignored', { reason, resourceId: invocation.resourceId });
      return { kind: 'ignored', reason };
    }
    const item = invocation.kind === 'change' ? invocation.item : await fetchConfigItem(deps, invocation);
    return evaluateItem(invocation, item);
  };
};
