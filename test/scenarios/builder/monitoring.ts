/** Monitoring resources of a scenario: CloudWatch alarms on replication metrics, CloudTrail trails. */
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { type Context, createBucket } from './resources.js';

export interface AlarmSpec {
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  /** The path the alarm watches. */
  readonly source: string;
  readonly destination: string;
  readonly ruleId: string;
  /** Default BytesPendingReplication. */
  readonly metric?: string;
  /** Watch the metric through a metric-math expression instead of directly. */
  readonly math?: boolean;
  readonly actions?: readonly string[];
  readonly actionsEnabled?: boolean;
}

export const createAlarm = async (ctx: Context, spec: AlarmSpec): Promise<{ name: string; arn: string }> => {
  const account = spec.account ?? ctx.home;
  const region = spec.region ?? ctx.region;
  const metric = {
    Namespace: 'AWS/S3',
    MetricName: spec.metric ?? 'BytesPendingReplication',
    Dimensions: [
      { Name: 'SourceBucket', Value: spec.source },
      { Name: 'DestinationBucket', Value: spec.destination },
      { Name: 'RuleId', Value: spec.ruleId },
    ],
  };
  const common = {
    AlarmName: spec.name,
    EvaluationPeriods: 6,
    DatapointsToAlarm: 6,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold' as const,
    TreatMissingData: 'notBreaching',
    ActionsEnabled: spec.actionsEnabled ?? true,
    AlarmActions: [...(spec.actions ?? [])],
  };
  await ctx.clients(account, region).cloudwatch.send(
    new PutMetricAlarmCommand(
      spec.math
        ? {
            ...common,
            Metrics: [
              {
                Id: 'pending',
                MetricStat: { Metric: metric, Period: 300, Stat: 'Maximum' },
                ReturnData: false,
              },
              { Id: 'backlog', Expression: 'FILL(pending, 0)', Label: 'backlog', ReturnData: true },
            ],
          }
        : { ...common, ...metric, Statistic: 'Maximum', Period: 300 },
    ),
  );
  return { name: spec.name, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${spec.name}` };
};

export interface TrailSpec {
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly multiRegion?: boolean;
  /** Default true. */
  readonly logging?: boolean;
  readonly basic?: readonly {
    readonly readWrite?: 'All' | 'ReadOnly' | 'WriteOnly';
    readonly values: readonly string[];
  }[];
  readonly advanced?: readonly AdvancedEventSelector[];
}

export const createTrail = async (ctx: Context, spec: TrailSpec): Promise<{ name: string; arn: string }> => {
  const account = spec.account ?? ctx.home;
  const region = spec.region ?? ctx.region;
  const logs = await createBucket(ctx, { name: `${spec.name}-logs`, account, region, versioning: 'Off' });
  const { cloudtrail } = ctx.clients(account, region);
  const out = await cloudtrail.send(
    new CreateTrailCommand({
      Name: spec.name,
      S3BucketName: logs.name,
      IsMultiRegionTrail: spec.multiRegion ?? false,
    }),
  );
  if (spec.basic || spec.advanced)
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: spec.name,
        ...(spec.advanced
          ? { AdvancedEventSelectors: [...spec.advanced] }
          : {
              EventSelectors: (spec.basic ?? []).map((s) => ({
                ReadWriteType: s.readWrite ?? 'All',
                IncludeManagementEvents: true,
                DataResources: [{ Type: 'AWS::S3::Object', Values: [...s.values] }],
              })),
            }),
      }),
    );
  if (spec.logging ?? true) await cloudtrail.send(new StartLoggingCommand({ Name: spec.name }));
  return {
    name: spec.name,
    arn: out.TrailARN ?? `arn:aws:cloudtrail:${region}:${account}:trail/${spec.name}`,
  };
};
