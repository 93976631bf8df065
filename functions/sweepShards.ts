/**
 * sweepShards: the Organization sweep's ListShards task (infra/stack/sweep.yml): the Organization's ACTIVE
 * accounts × the Regions of REPLGUARD_SWEEP_REGIONS (stack parameter SweepRegions) → (account, Region) shards.
 * Behaviour: shared/handlers/sweepShards.ts.
 */
import middy from '@middy/core';
import { parseListShardsEvent, parseSweepRegions } from '../shared/events/sweep.js';
import { sweepShardsHandler } from '../shared/handlers/sweepShards.js';
import { errorHandler, observe, validateEvent } from '../shared/middleware/index.js';
import { defaultRuntime } from '../shared/runtime/deps.js';

const rt = defaultRuntime('sweepShards');

export const handler = middy(
  sweepShardsHandler(rt, {
    regions: () => parseSweepRegions(process.env.REPLGUARD_SWEEP_REGIONS, rt.factory().region),
  }),
)
  .use(observe(rt.obs))
  .use(errorHandler(rt.obs))
  .use(validateEvent(rt.obs, parseListShardsEvent));
