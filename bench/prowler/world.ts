/**
 * One account for the side-by-side run: the scan benchmark's fleet (N cross-account, cross-Region SSE-KMS
 * replicated buckets, every rule healthy) in a fresh account, and the environment of a separate process acting
 * in that account (what both Prowler and the built CLI get).
 */
import { type AccountEnv, operatorEnv } from '../org/cli.js';
import { buildFleet } from '../scan/fleet.js';
import { derivedAccount, scenario } from '../../test/scenarios/builder.js';

export interface ProwlerWorld {
  readonly account: string;
  readonly buckets: number;
  readonly env: AccountEnv;
  readonly setupSeconds: number;
}

export const buildAccount = async (endpoint: string, buckets: number): Promise<ProwlerWorld> => {
  const account = derivedAccount(`bench/prowler/${buckets}/${Date.now()}`);
  const env = await scenario(endpoint, { account });
  const fleet = await buildFleet(env, buckets);
  return {
    account,
    buckets,
    env: await operatorEnv(endpoint, account),
    setupSeconds: fleet.setupMs / 1000,
  };
};
