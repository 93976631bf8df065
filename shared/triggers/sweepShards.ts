/**
 * The sweep's ListShards: the Organization's ACTIVE accounts × the Regions to sweep → (account, Region)
 * shards, the items of the Distributed Map. They are the state's output, so they stay under Step Functions'
 * 256 KiB payload quota: at most {@link MAX_SHARDS} (about 50 bytes each).
 */
import type { Shard } from '../events/sweep.js';
import { SweepError, SweepErrorCode } from '../model/sweep.js';

/** Shards one execution may carry in its state (256 KiB at ~50 bytes a shard, with room to spare). */
export const MAX_SHARDS = 4_000;

/** A Map item: the shard without its version (the Map's ItemSelector adds it). */
export type ShardItem = Pick<Shard, 'accountId' | 'region'>;

export interface ShardList {
  readonly shards: readonly ShardItem[];
  readonly accounts: number;
  readonly regions: readonly string[];
  readonly shardCount: number;
}

/** Every (account, Region) pair, account-major, both sorted (a stable order, so a redrive retries the same items). */
export const shardsOf = (accounts: readonly string[], regions: readonly string[]): ShardList => {
  const sortedAccounts = [...new Set(accounts)].sort();
  const sortedRegions = [...new Set(regions)].sort();
  const shards = sortedAccounts.flatMap((accountId) =>
    sortedRegions.map((region) => ({ accountId, region })),
  );
  if (shards.length > MAX_SHARDS)
    throw new SweepError(
      `${sortedAccounts.length} accounts × ${sortedRegions.length} Regions make ${shards.length} shards, more than the ${MAX_SHARDS} one execution carries: sweep fewer Regions (stack parameter SweepRegions) or start executions with an "accounts" subset`,
      SweepErrorCode.TooManyShards,
    );
  return { shards, accounts: sortedAccounts.length, regions: sortedRegions, shardCount: shards.length };
};
