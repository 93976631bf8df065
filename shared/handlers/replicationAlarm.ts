/** onReplicationAlarm: an alarm on an S3 replication metric changed state → `replication_backlog` findings. */
import { runPath, throwIfFailed } from '../engine/path.js';
import type { AlarmChange } from '../events/alarm.js';
import { diagnoserOf, pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordIgnored, recordOutcome } from '../runtime/report.js';
import { alarmObservations, alarmOutcome, type AlarmOutcome, ignoredAlarm } from '../triggers/alarm.js';

/** Alarm changes are rare and their diagnosis should be fresh: reuse one for a minute at most. */
const ALARM_DIAGNOSIS_TTL_MS = 60_000;

/** Builds the onReplicationAlarm behaviour. */
export const replicationAlarmHandler = (rt: Runtime, options: { readonly diagnosisTtlMs?: number } = {}) => {
  const diagnoser = diagnoserOf(rt, options.diagnosisTtlMs ?? ALARM_DIAGNOSIS_TTL_MS);
  return async (change: AlarmChange): Promise<AlarmOutcome> => {
    const where = { alarmName: change.alarmName, state: change.state, account: change.accountId };
    const ignored = ignoredAlarm(change);
    if (ignored) {
      recordIgnored(rt, ignored, where);
      return alarmOutcome(change, undefined, ignored);
    }
    const observations = alarmObservations(change);
    const outcome = throwIfFailed(await runPath({ ...pathContextOf(rt), diagnoser }, { observations }));
    recordOutcome(rt, outcome);
    rt.obs.logger.info('Replication alarm handled', {
      ...where,
      pairs: change.pairs.length,
      summary: outcome.summary,
    });
    return alarmOutcome(change, outcome);
  };
};
