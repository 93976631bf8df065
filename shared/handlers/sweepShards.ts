/** sweepShards, the sweep's ListShards: the Organization's ACTIVE accounts × the Regions to sweep → shards. */
import type { ClientFactory } from '../aws/clientFactory.js';
import { listActiveAccounts } from '../cli/organizations.js';
import type { ListShardsEvent } from '../events/sweep.js';
import type { Runtime } from '../runtime/deps.js';
import { type ShardList, shardsOf } from '../triggers/sweepShards.js';

export interface SweepShardsOptions {
  /** The Regions to sweep (the stack's SweepRegions). */
  readonly regions: () => readonly string[];
  /** The ACTIVE accounts of the Organization (default: Organizations ListAccounts). */
  readonly accounts?: (factory: ClientFactory) => Promise<readonly string[]>;
}

const organizationAccounts = async (factory: ClientFactory) =>
  (await listActiveAccounts(factory)).map((a) => a.id);

/** Builds the sweepShards behaviour; an execution's `accounts` narrows the sweep to those that are ACTIVE. */
export const sweepShardsHandler =
  (rt: Runtime, options: SweepShardsOptions) =>
  async (event: ListShardsEvent): Promise<ShardList> => {
    const active = await (options.accounts ?? organizationAccounts)(rt.factory());
    const accounts = event.accounts ? active.filter((a) => event.accounts?.includes(a)) : active;
    const list = shardsOf(accounts, event.regions ?? options.regions());
    const skipped = event.accounts?.filter((a) => !active.includes(a)) ?? [];
    rt.obs.logger.info('Sweep shards listed', {
      accounts: list.accounts,
      regions: list.regions,
      shards: list.shardCount,
      ...(skipped.length ? { notActive: skipped } : {}),
    });
    return list;
  };
