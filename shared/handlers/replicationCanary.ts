/** replicationCanary: on a schedule, canary objects through every opted-in pair → `replication_canary_failed`. */
import { type CanaryIo, runCanaries } from '../canary/run.js';
import { s3CanaryIo } from '../canary/s3.js';
import { type CanarySettings, canarySettingsFromEnv } from '../canary/settings.js';
import { ScanSession } from '../collect/session.js';
import { runPath, throwIfFailed } from '../engine/path.js';
import type { ScheduledRun } from '../events/schedule.js';
import { diagnoserOf, pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordCanaryRun, recordOutcome } from '../runtime/report.js';
import * as trigger from '../triggers/replicationCanary.js';

export interface CanaryHandlerOptions {
  readonly io?: (session: ScanSession) => CanaryIo;
  readonly settings?: () => CanarySettings;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Builds the replicationCanary behaviour (diagnoses of failing pairs are reused for a minute). */
export const replicationCanaryHandler = (rt: Runtime, options: CanaryHandlerOptions = {}) => {
  const diagnoser = diagnoserOf(rt, 60_000);
  return async (_run: ScheduledRun): Promise<trigger.CanaryOutcome> => {
    const settings = (options.settings ?? canarySettingsFromEnv)();
    const ctx = { ...pathContextOf(rt), diagnoser };
    const session = new ScanSession(ctx.factory, ctx.parameters);
    const found = await trigger.canarySources(rt.collector, session, ctx.factory.region, rt.now().getTime());
    const io = (options.io ?? s3CanaryIo)(session);
    const clock = { now: () => rt.now().getTime(), ...(options.sleep ? { sleep: options.sleep } : {}) };
    const run = await runCanaries(io, found.sources, settings, clock);
    recordCanaryRun(rt, run);
    const observations = trigger.canaryObservations(run.verdicts);
    const outcome = observations.length
      ? throwIfFailed(await runPath(ctx, { observations, session }))
      : undefined;
    if (outcome) recordOutcome(rt, outcome);
    const result = trigger.canaryOutcome(found, run, outcome);
    rt.obs.logger.info('Replication canary run', { ...result });
    return result;
  };
};
