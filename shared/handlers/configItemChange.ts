/** evaluateBucket on a configuration change: the item's bucket judged, published with its Config evaluation. */
import { runPath, throwIfFailed } from '../engine/path.js';
import type { ChangeInvocation, OversizedInvocation } from '../events/configRule.js';
import { pathContextOf, type Runtime } from '../runtime/deps.js';
import { recordIgnored, recordOutcome } from '../runtime/report.js';
import { changeWork, type ConfigChangeOutcome } from '../triggers/configRule.js';

export const evaluateChange = async (
  rt: Runtime,
  invocation: ChangeInvocation | OversizedInvocation,
): Promise<ConfigChangeOutcome> => {
  const work = await changeWork(invocation, rt.factory());
  if ('ignored' in work) {
    recordIgnored(rt, work.ignored, { resourceId: invocation.resourceId });
    return { kind: 'ignored', reason: work.ignored };
  }
  const ctx = { ...pathContextOf(rt), parameters: invocation.parameters };
  const outcome = throwIfFailed(await runPath(ctx, work.work));
  recordOutcome(rt, outcome);
  const compliance = outcome.evaluations[0]?.ComplianceType ?? 'NOT_APPLICABLE';
  const reason = compliance === 'NOT_APPLICABLE' ? (work.reason ?? outcome.judgements[0]?.reason) : undefined;
  const { bucket } = work;
  const { summary } = outcome;
  rt.obs.logger.info('Bucket evaluated', { bucket, compliance, reason, summary });
  return {
    kind: invocation.kind,
    bucket,
    compliance,
    ...(reason ? { reason } : {}),
    ...(summary ? { summary } : {}),
  };
};
