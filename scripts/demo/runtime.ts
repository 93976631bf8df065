/**
 * The event-driven half: a storm of S3 replication failure events through onReplicationFailure's handler
 * (aggregated, diagnosed, one alert per aggregate, object keys redacted), then a backlog alarm going to
 * ALARM and back to OK through onReplicationAlarm's handler.
 */
import { parseAlarmEvent } from '../../shared/events/alarm.js';
import { replicationAlarmHandler } from '../../shared/handlers/replicationAlarm.js';
import { replicationFailureHandler } from '../../shared/handlers/replicationFailure.js';
import { configFromEnv } from '../../shared/runtime/config.js';
import { makeRuntime } from '../../shared/runtime/deps.js';
import { batches, stormRecords } from '../../bench/storm/events.js';
import { FIXTURE_ACCOUNT, loadEvent, rewrite } from '../../test/fixtures/events/index.js';
import { enableSecurityHub, inbox, type Delivered } from '../../test/integration/publish/inbox.js';
import { scenario } from '../../test/scenarios/builder.js';
import type { DemoContext, DemoSection, SectionOutcome } from './context.js';
import { clip } from './format.js';

const STORM_EVENTS = 2_000;
const REASONS = ['DstBucketUnversioned', 'DstPutObjectNotPermitted'] as const;

export const runRuntime = async (context: DemoContext): Promise<SectionOutcome> => {
  const { out, style } = context;
  // The handlers' JSON logs and EMF metrics would drown the demo's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const env = await scenario(context.endpoint, { account: context.accountFor('runtime') });
  await enableSecurityHub(env);
  const box = await inbox(env, 'runtime');
  const path = await env.replicatedPair({
    name: 'phi-imaging',
    crossAccount: true,
    crossRegion: true,
    kms: true,
    monitored: true,
    destinationVersioning: 'Suspended',
  });
  const factory = env.clientFactory();
  const config = { ...configFromEnv({}), sinks: { securityHub: true, topicArn: box.topicArn } };
  const deps = makeRuntime({ name: 'demo', factory: () => factory, config: () => config });
  const show = (alerts: Delivered[]) => {
    for (const a of alerts) out(`    SNS  ${a.subject ?? ''}  [${a.attributes.transition}]`);
  };

  const pair = {
    bucket: path.source.name,
    destinationBucket: path.destination.name,
    ruleId: path.ruleId,
    accountId: env.home,
  };
  const records = stormRecords([pair], STORM_EVENTS, REASONS);
  const onFailure = replicationFailureHandler(deps);
  let failed = 0;
  for (const batch of batches(records, 500)) failed += (await onFailure(batch)).batchItemFailures.length;
  const storm = (await box.drain()).envelope;
  out(
    `  ${style.bold('replication failure storm')}: ${STORM_EVENTS} OperationFailedReplication events (${REASONS.join(', ')}) for ${pair.bucket} → ${pair.destinationBucket} in ${STORM_EVENTS / 500} SQS batches`,
  );
  out(`    → ${storm.length} SNS alerts (one per pair, rule and failureReason), ${failed} messages retried`);
  show(storm);
  const first = storm[0]?.body.finding as Record<string, unknown> | undefined;
  if (first) out(`    root cause: ${clip(String(first.message ?? ''), 170)}`);
  const leaked = storm.some((a) => a.raw.includes('patients/'));
  out(`    object keys in alerts: ${leaked ? style.red('PRESENT (defect)') : 'salted hashes only'}`);

  const onAlarm = replicationAlarmHandler(deps);
  const alarmEvent = (name: 'bytes-pending-alarm' | 'bytes-pending-ok') =>
    parseAlarmEvent(
      rewrite(loadEvent('alarm', name), {
        'phi-to-dr': path.ruleId,
        'phi-prod': path.source.name,
        'phi-dr': path.destination.name,
        [FIXTURE_ACCOUNT]: env.home,
      }),
    );
  await onAlarm(alarmEvent('bytes-pending-alarm'));
  const raised = (await box.drain()).envelope;
  out(`  ${style.bold('backlog alarm')} BytesPendingReplication → ALARM: ${raised.length} alert`);
  show(raised);
  await onAlarm(alarmEvent('bytes-pending-ok'));
  const cleared = (await box.drain()).envelope;
  out(`  ${style.bold('backlog alarm')} → OK: ${cleared.length} alert`);
  show(cleared);

  const errors =
    (storm.length === REASONS.length ? 0 : 1) +
    (leaked ? 1 : 0) +
    failed +
    (raised.length === 1 ? 0 : 1) +
    (cleared.length === 1 ? 0 : 1);
  if (errors) out(style.red('  the functions did not behave as expected (see above)'));
  return {
    summary: `runtime: ${STORM_EVENTS} events → ${storm.length} alerts; alarm raised and resolved`,
    errors,
  };
};

export const runtimeSection: DemoSection = {
  title: 'Lambda functions: a storm of replication failure events and a backlog alarm',
  run: runRuntime,
};
