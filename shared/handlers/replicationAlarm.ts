/**
 * onReplicationAlarm: a CloudWatch alarm on an S3 replication metric changed state. ALARM raises (or
 * keeps) a `replication_backlog` finding per replicated pair the alarm watches, with the metric, its value
 * and the pair's diagnosis as probable cause; OK resolves it; INSUFFICIENT_DATA changes nothing.
 */
import type { Context } from 'aws-lambda';
import { type AlarmChange, type AlarmPair, AlarmState } from '../events/alarm.js';
import { REPLICATION_BREAKING_RULE_IDS } from '../events/failureReasons.js';
import { replicationBacklog } from '../events/runtimeRules.js';
import { count, countPublished, MetricName } from '../middleware/observability.js';
import type { PublishSummary } from '../publish/pipeline.js';
import type { RuleResult } from '../rules/types.js';
import { Diagnoser, type Diagnosis, pairResults, rootCauseOf } from './diagnose.js';
import { explain, remediationOf, resourcesOf } from './failureFindings.js';
import type { HandlerDeps } from './runtime.js';

export interface ReplicationAlarmOutcome {
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly ignored?: string;
  readonly pairs: number;
  readonly summary?: PublishSummary;
}

const pathOf = (p: AlarmPair): string =>
  `${p.sourceBucket} to ${p.destinationBucket} (rule ${p.replicationRuleId})`;

/** The `replication_backlog` result of one pair for an alarm in ALARM (with its diagnosis) or OK. */
export const backlogResult = (change: AlarmChange, pair: AlarmPair, diagnosis?: Diagnosis): RuleResult => {
  const base = {
    ruleId: replicationBacklog.id,
    severity: replicationBacklog.severity,
    bucket: pair.sourceBucket,
    destinationBucket: pair.destinationBucket,
    replicationRuleId: pair.replicationRuleId,
    hipaa: replicationBacklog.hipaa,
    accountId: diagnosis?.ok ? diagnosis.accountId : change.accountId,
    region: change.region,
  };
  const metrics = pair.metrics.join(', ');
  const details = {
    alarmName: change.alarmName,
    ...(change.alarmArn ? { alarmArn: change.alarmArn } : {}),
    metrics: pair.metrics,
    ...(change.expression ? { expression: change.expression } : {}),
    ...(change.value !== undefined ? { value: change.value } : {}),
    ...(change.threshold !== undefined ? { threshold: change.threshold } : {}),
    ...(change.stateTime ? { lastSeen: new Date(change.stateTime).toISOString() } : {}),
  };
  if (change.state !== AlarmState.Alarm || !diagnosis)
    return {
      ...base,
      status: 'COMPLIANT',
      message: `Alarm ${change.alarmName} on ${metrics} for the replication of ${pathOf(pair)} is OK again.`,
      remediation: '',
      details,
    };
  const pairRef = {
    bucket: pair.sourceBucket,
    destinationBucket: pair.destinationBucket,
    replicationRuleId: pair.replicationRuleId,
  };
  const root = rootCauseOf(
    diagnosis.ok ? pairResults(diagnosis.results, pairRef) : [],
    REPLICATION_BREAKING_RULE_IDS,
  );
  const resources = resourcesOf(root);
  return {
    ...base,
    status: 'NON_COMPLIANT',
    message:
      `Replication of ${pathOf(pair)} is backing up: alarm ${change.alarmName} is in ALARM on ${metrics}. ` +
      explain(root, REPLICATION_BREAKING_RULE_IDS, diagnosis, { label: 'Probable cause' }),
    remediation: remediationOf(replicationBacklog, root, ''),
    ...(resources.length > 0 ? { resources } : {}),
    details: {
      ...details,
      probableCause: root.causes.map((c) => c.ruleId),
      diagnosis: diagnosis.ok ? 'complete' : 'unavailable',
    },
  };
};

/** Alarm changes are rare and their diagnosis should be fresh: reuse one for a minute at most. */
const ALARM_DIAGNOSIS_TTL_MS = 60_000;

/** Builds the onReplicationAlarm behaviour. */
export const replicationAlarmHandler = (
  deps: HandlerDeps,
  options: { readonly diagnosisTtlMs?: number } = {},
) => {
  const diagnoser = new Diagnoser(deps, options.diagnosisTtlMs ?? ALARM_DIAGNOSIS_TTL_MS);
  return async (change: AlarmChange, _context?: Context): Promise<ReplicationAlarmOutcome> => {
    const { logger } = deps.obs;
    const where = {
      alarmName: change.alarmName,
      state: change.state,
      account: change.accountId,
      region: change.region,
    };
    const ignore = (why: string): ReplicationAlarmOutcome => {
      logger.info(`Alarm state change ignored: ${why}`, where);
      count(deps.obs, MetricName.EventsIgnored, 1);
      return { alarmName: change.alarmName, state: change.state, ignored: why, pairs: change.pairs.length };
    };
    if (change.pairs.length === 0)
      return ignore(
        'the alarm watches no AWS/S3 replication metric with SourceBucket, DestinationBucket and RuleId',
      );
    if (change.state === AlarmState.InsufficientData) return ignore('INSUFFICIENT_DATA changes no finding');
    const results = await Promise.all(
      change.pairs.map(async (pair) =>
        change.state === AlarmState.Alarm
          ? backlogResult(change, pair, await diagnoser.diagnose(pair.sourceBucket, [change.accountId]))
          : backlogResult(change, pair),
      ),
    );
    if (change.state === AlarmState.Alarm)
      count(deps.obs, MetricName.Evaluations, new Set(change.pairs.map((p) => p.sourceBucket)).size);
    const topicArn = deps.topicArn();
    const summary = await deps.publish(deps.factory(), results, {
      securityHub: deps.securityHub(),
      ...(topicArn ? { topicArn } : {}),
      now: deps.now(),
    });
    countPublished(deps.obs, summary);
    logger.info('Replication alarm handled', { ...where, pairs: change.pairs.length, summary });
    return { alarmName: change.alarmName, state: change.state, pairs: change.pairs.length, summary };
  };
};
