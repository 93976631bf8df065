/**
 * The Organization sweep's events (infra/stack/sweep.yml, a Step Functions Distributed Map): what starts
 * ListShards, the shard event each Map item hands evaluateBucket, and what Summarise receives (where the
 * Map run wrote its results). All are ReplGuard's own contracts, versioned like the JSON output.
 */
import { z } from 'zod';
import { parseConfigRuleEvent, type ConfigInvocation } from './configRule.js';
import { describeIssues, EventError, EventErrorCode } from './errors.js';

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region such as us-east-1');

/** Counts a shard carries from one invocation to the next (a shard that ran out of time continues). */
export const shardCountsSchema = z.object({
  evaluated: z.number().int().min(0),
  notApplicable: z.number().int().min(0),
  failed: z.number().int().min(0),
  invocations: z.number().int().min(1),
});
export type ShardCounts = z.infer<typeof shardCountsSchema>;

/** One (account, Region) shard, as the Map item gives it to evaluateBucket. */
export const shardSchema = z.object({
  version: z.literal(1),
  accountId,
  region,
  /** Every bucket whose name sorts at or before this one was evaluated by an earlier invocation. */
  startAfter: z.string().min(1).optional(),
  /** Counts of the earlier invocations of this shard. */
  carried: shardCountsSchema.optional(),
});
export type Shard = z.infer<typeof shardSchema>;

/** The event evaluateBucket receives from the sweep. */
export const shardEventSchema = z.object({ replguardSweep: shardSchema });

/** The shard event, parsed. */
export interface ShardInvocation {
  readonly kind: 'sweep';
  readonly shard: Shard;
}

/** ListShards' input (the schedule's; `regions` overrides the stack's SweepRegions for one execution). */
export const listShardsEventSchema = z.looseObject({
  regions: z.array(region).min(1).optional(),
  accounts: z.array(accountId).min(1).optional(),
});
export type ListShardsEvent = z.infer<typeof listShardsEventSchema>;

/** Summarise's input: the Map run's ResultWriter details (its manifest in S3) and the shard total. */
export const summaryEventSchema = z.looseObject({
  shards: z.number().int().min(0),
  accounts: z.number().int().min(0),
  results: z.looseObject({
    ResultWriterDetails: z.looseObject({ Bucket: z.string().min(3), Key: z.string().min(1) }),
  }),
});
export type SummaryEvent = z.infer<typeof summaryEventSchema>;

const parseWith = <T>(schema: z.ZodType<T>, event: unknown, what: string): T => {
  const parsed = schema.safeParse(event);
  if (!parsed.success)
    throw new EventError(`Not ${what}`, EventErrorCode.InvalidEvent, describeIssues(parsed.error));
  return parsed.data;
};

/** Validates a shard event; throws {@link EventError} `INVALID_EVENT` naming the fields that are wrong. */
export const parseShardEvent = (event: unknown): ShardInvocation => ({
  kind: 'sweep',
  shard: parseWith(shardEventSchema, event, 'a ReplGuard sweep shard event').replguardSweep,
});

/** evaluateBucket's events: a sweep shard (it carries `replguardSweep`) or an AWS Config rule invocation. */
export const parseEvaluateBucketEvent = (event: unknown): ConfigInvocation | ShardInvocation =>
  event !== null && typeof event === 'object' && 'replguardSweep' in event
    ? parseShardEvent(event)
    : parseConfigRuleEvent(event);

export const parseListShardsEvent = (event: unknown): ListShardsEvent =>
  parseWith(listShardsEventSchema, event ?? {}, "the sweep's ListShards input");

export const parseSummaryEvent = (event: unknown): SummaryEvent =>
  parseWith(summaryEventSchema, event, "the sweep's Summarise input (the Map run's ResultWriterDetails)");

/**
 * The Regions to sweep from `REPLGUARD_SWEEP_REGIONS` (comma-separated; empty: the function's Region).
 * Throws {@link EventError} `INVALID_RULE_PARAMETERS` naming the Region that is not one.
 */
export const parseSweepRegions = (text: string | undefined, fallback: string): string[] => {
  const regions = [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = regions.filter((r) => !region.safeParse(r).success);
  if (bad.length)
    throw new EventError(
      'REPLGUARD_SWEEP_REGIONS (stack parameter SweepRegions) must list AWS Regions such as us-east-1,eu-west-1',
      EventErrorCode.InvalidRuleParameters,
      bad.map((r) => `not a Region: ${r}`),
    );
  return regions.length ? regions : [fallback];
};
