/**
 * The alarm trigger (onReplicationAlarm): a CloudWatch alarm on an S3 replication metric changed state →
 * one `replication_backlog` observation per replicated pair it watches. ALARM observations are diagnosed on
 * the pair's source bucket; OK ones resolve without a diagnosis; INSUFFICIENT_DATA changes nothing.
 */
import { observe, type Observation, type PathOutcome } from '../engine/path.js';
import { type AlarmChange, AlarmState } from '../events/alarm.js';
import type { PublishSummary } from '../publish/pipeline.js';
import { replicationBacklog } from '../rules/runtime/index.js';

export interface AlarmOutcome {
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly ignored?: string;
  readonly pairs: number;
  readonly summary?: PublishSummary;
}

/** Why an alarm change changes no finding, or undefined. */
export const ignoredAlarm = (change: AlarmChange): string | undefined => {
  if (change.pairs.length === 0)
    return 'the alarm watches no AWS/S3 replication metric with SourceBucket, DestinationBucket and RuleId';
  if (change.state === AlarmState.InsufficientData) return 'INSUFFICIENT_DATA changes no finding';
  return undefined;
};

/** One observation per pair; diagnosed when the alarm is in ALARM. */
export const alarmObservations = (change: AlarmChange): Observation[] =>
  change.pairs.map((pair) =>
    observe(
      replicationBacklog,
      { change, pair },
      {
        accountHints: [change.accountId],
        ...(change.state === AlarmState.Alarm
          ? { diagnose: { bucket: pair.sourceBucket, accountHints: [change.accountId] } }
          : {}),
      },
    ),
  );

export const alarmOutcome = (change: AlarmChange, outcome?: PathOutcome, ignored?: string): AlarmOutcome => ({
  alarmName: change.alarmName,
  state: change.state,
  pairs: change.pairs.length,
  ...(ignored ? { ignored } : {}),
  ...(outcome?.summary ? { summary: outcome.summary } : {}),
});
