/** onConfigChange: an S3, KMS or IAM API call (CloudTrail via EventBridge) → the buckets it affects, re-judged. */
import { runPath, throwIfFailed } from '../engine/path.js';
import type { ApiCall } from '../events/cloudTrail.js';
import { count, MetricName } from '../middleware/observability.js';
import { pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordIgnored, recordOutcome } from '../runtime/report.js';
import {
  apiCallOutcome,
  type ApiCallOutcome,
  apiCallWork,
  edgeIndexFailure,
} from '../triggers/cloudTrail.js';

/** Builds the onConfigChange behaviour. */
export const configChangeHandler =
  (rt: Runtime) =>
  async (call: ApiCall): Promise<ApiCallOutcome> => {
    const where = { eventName: call.eventName, account: call.accountId, region: call.callRegion };
    const ctx = pathContextOf(rt);
    const now = rt.now().getTime();
    const built = await apiCallWork(ctx.collector, ctx.factory, ctx.parameters, call, now, rt.edges());
    if ('ignored' in built) {
      recordIgnored(rt, built.ignored, {
        ...where,
        ...(call.errorCode ? { errorCode: call.errorCode } : {}),
      });
      return { eventName: call.eventName, ignored: built.ignored, evaluated: [], resolved: [] };
    }
    const outcome = throwIfFailed(await runPath(ctx, built.work));
    recordOutcome(rt, outcome);
    const result = apiCallOutcome(call, built.work, outcome, built.edges);
    count(rt.obs, MetricName.AffectedBuckets, result.evaluated.length + result.resolved.length);
    const { evaluated, resolved, edgeIndex } = result;
    const affected = { target: call.target, evaluated, resolved, edgeIndex };
    rt.obs.logger.info('Buckets affected by the API call', { ...where, ...affected });
    const failure = edgeIndexFailure(built);
    if (failure) throw failure;
    return result;
  };
