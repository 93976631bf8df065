/**
 * EventBridge "CloudWatch Alarm State Change" events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/
 * monitoring/cloudwatch-and-eventbridge.html) for alarms on S3 replication metrics. A plain alarm has one
 * `configuration.metrics` entry with `metricStat`; a metric math alarm has an `expression` entry plus one
 * entry per metric it reads.
 */
import { z } from 'zod';
import { describeIssues, EventError, EventErrorCode } from './errors.js';

/** The `AWS/S3` replication metrics whose alarms ReplGuard turns into `replication_backlog` findings. */
export const REPLICATION_METRICS: ReadonlySet<string> = new Set([
  'BytesPendingReplication',
  'OperationsPendingReplication',
  'ReplicationLatency',
  'OperationsFailedReplication',
]);

export const AlarmState = { Alarm: 'ALARM', Ok: 'OK', InsufficientData: 'INSUFFICIENT_DATA' } as const;
export type AlarmState = (typeof AlarmState)[keyof typeof AlarmState];

const stateSchema = z.looseObject({
  value: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  reason: z.string().optional(),
  reasonData: z.string().optional(),
  timestamp: z.string().optional(),
});

const metricEntrySchema = z.looseObject({
  id: z.string().optional(),
  expression: z.string().optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
  metricStat: z
    .looseObject({
      metric: z.looseObject({
        namespace: z.string(),
        name: z.string(),
        dimensions: z.record(z.string(), z.string()).optional(),
      }),
      period: z.number().optional(),
      stat: z.string().optional(),
    })
    .optional(),
});

export const alarmEventSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  time: z.string().optional(),
  region: z.string().min(1),
  resources: z.array(z.string()).optional(),
  detail: z.looseObject({
    alarmName: z.string().min(1),
    state: stateSchema,
    previousState: stateSchema.optional(),
    configuration: z.looseObject({
      metrics: z.array(metricEntrySchema).optional(),
      description: z.string().optional(),
    }),
  }),
});
export type AlarmEvent = z.input<typeof alarmEventSchema>;

/** A replicated pair an alarm watches, with the replication metrics it reads for it. */
export interface AlarmPair {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly replicationRuleId: string;
  readonly metrics: readonly string[];
}

export interface AlarmChange {
  readonly eventId: string;
  readonly alarmName: string;
  readonly alarmArn?: string;
  readonly accountId: string;
  readonly region: string;
  readonly state: AlarmState;
  readonly previousState?: AlarmState;
  readonly stateReason?: string;
  readonly stateTime?: string;
  /** Metric math expression, when the alarm uses one. */
  readonly expression?: string;
  /** Every pair the alarm's S3 replication metrics name (dimensions SourceBucket, DestinationBucket, RuleId). */
  readonly pairs: readonly AlarmPair[];
  /** The most recent datapoint the alarm evaluated (from `state.reasonData`), when given. */
  readonly value?: number;
  readonly threshold?: number;
}

const reasonDataSchema = z.looseObject({
  recentDatapoints: z.array(z.number()).optional(),
  evaluatedDatapoints: z
    .array(z.looseObject({ value: z.number().optional(), timestamp: z.string().optional() }))
    .optional(),
  threshold: z.number().optional(),
});

/** The latest datapoint value and the threshold from `reasonData` (JSON text), ignoring it when unreadable. */
export const readReasonData = (text: string | undefined): { value?: number; threshold?: number } => {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = reasonDataSchema.safeParse(data);
  if (!parsed.success) return {};
  const { recentDatapoints, evaluatedDatapoints, threshold } = parsed.data;
  const evaluated = evaluatedDatapoints
    ?.map((d) => d.value)
    .filter((v): v is number => typeof v === 'number');
  const value = evaluated?.length
    ? evaluated[0]
    : recentDatapoints?.length
      ? recentDatapoints[recentDatapoints.length - 1]
      : undefined;
  return { ...(value !== undefined ? { value } : {}), ...(threshold !== undefined ? { threshold } : {}) };
};

/**
 * Validates an alarm state change and extracts the replicated pairs it is about. An alarm on other
 * metrics yields no pairs (the caller ignores it). Throws {@link EventError} `INVALID_EVENT` when the event
 * is not an alarm state change.
 */
export const parseAlarmEvent = (event: unknown): AlarmChange => {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success)
    throw new EventError(
      'Not a "CloudWatch Alarm State Change" event',
      EventErrorCode.InvalidEvent,
      describeIssues(parsed.error),
    );
  const e = parsed.data;
  const d = e.detail;
  const entries = d.configuration.metrics ?? [];
  const pairs = new Map<
    string,
    { sourceBucket: string; destinationBucket: string; replicationRuleId: string; metrics: Set<string> }
  >();
  for (const entry of entries) {
    const metric = entry.metricStat?.metric;
    if (!metric || metric.namespace !== 'AWS/S3' || !REPLICATION_METRICS.has(metric.name)) continue;
    const dims = metric.dimensions ?? {};
    const { SourceBucket: src, DestinationBucket: dst, RuleId: rule } = dims;
    if (!src || !dst || !rule) continue;
    const key = JSON.stringify([src, dst, rule]);
    const pair = pairs.get(key) ?? {
      sourceBucket: src,
      destinationBucket: dst,
      replicationRuleId: rule,
      metrics: new Set<string>(),
    };
    pair.metrics.add(metric.name);
    pairs.set(key, pair);
  }
  const expression = entries.find((m) => m.expression)?.expression;
  const alarmArn = e.resources?.find((r) => r.includes(':alarm:'));
  return {
    eventId: e.id,
    alarmName: d.alarmName,
    ...(alarmArn ? { alarmArn } : {}),
    accountId: e.account,
    region: e.region,
    state: d.state.value,
    ...(d.previousState ? { previousState: d.previousState.value } : {}),
    ...(d.state.reason ? { stateReason: d.state.reason } : {}),
    ...(d.state.timestamp ? { stateTime: d.state.timestamp } : {}),
    ...(expression ? { expression } : {}),
    pairs: [...pairs.values()].map((p) => ({ ...p, metrics: [...p.metrics].sort() })),
    ...readReasonData(d.state.reasonData),
  };
};
