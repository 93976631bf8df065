/** Failure modes of watching replication: metrics, RTC, the backlog alarm, failure events, audit trails. */
import { narrowDataEvents, putNotifications } from './helpers.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

export const monitoringScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'no-replication-metrics',
    description:
      'Replication metrics are off: S3 emits no failure events and no backlog metrics for the rule',
    kind: 'failure',
    build: pair({ metrics: false }),
    expect: {
      nonCompliant: ['replication_metrics_enabled'],
      mentions: { replication_metrics_enabled: 'replication metrics' },
    },
  }),
  defineScenario({
    name: 'no-rtc',
    description:
      'Replication Time Control is off while policy requires a 15-minute replication SLA (requireRtc)',
    kind: 'failure',
    parameters: { requireRtc: true },
    build: pair({ rtc: false }),
    expect: {
      nonCompliant: ['replication_time_control'],
      mentions: { replication_time_control: 'Replication Time Control' },
    },
  }),
  defineScenario({
    name: 'no-backlog-alarm',
    description:
      'The only alarm watches ReplicationLatency, which goes silent when replication stalls; none watches the backlog',
    kind: 'failure',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY });
      // same name: replaces the pair's BytesPendingReplication alarm
      await env.alarm({
        name: `${name}-pending`,
        source: path.source.name,
        destination: path.destination.name,
        ruleId: path.ruleId,
        metric: 'ReplicationLatency',
        actions: path.topicArn ? [path.topicArn] : [],
      });
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: {
      nonCompliant: ['pending_replication_alarm'],
      mentions: { pending_replication_alarm: 'BytesPendingReplication' },
    },
  }),
  defineScenario({
    name: 'no-failure-notifications',
    description:
      'The bucket notifies SQS of uploads and has EventBridge on, but sends no OperationFailedReplication events',
    kind: 'failure',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY });
      await putNotifications(env, path.source, {
        QueueConfigurations: path.queueArn
          ? [{ QueueArn: path.queueArn, Events: ['s3:ObjectCreated:*'] }]
          : [],
        EventBridgeConfiguration: {},
      });
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: {
      nonCompliant: ['failure_notifications_configured'],
      mentions: { failure_notifications_configured: 'OperationFailedReplication' },
    },
  }),
  defineScenario({
    name: 'no-data-events',
    description:
      "The source account's trail records only S3 read data events: no audit trail of who wrote PHI",
    kind: 'failure',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY });
      const narrowed = await narrowDataEvents(env, env.home, env.region, 'ReadOnly');
      if (narrowed === 0) throw new Error(`${name}: no trail of ${env.home} in ${env.region} to narrow`);
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: {
      nonCompliant: ['cloudtrail_data_events'],
      mentions: { cloudtrail_data_events: 'read data events' },
    },
  }),
];
