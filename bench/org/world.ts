/**
 * An emulated AWS Organization for the org benchmarks: a management account (where ReplGuard runs) that created
 * the Organization and its member accounts, ReplGuard's read-only member role (`ReplGuardReadOnly`, trusting the
 * management account) in every member, and in every account `bucketsPerAccount` buckets as replicated pairs
 * (SSE-KMS, S3 Bucket Keys, RTC, monitored, us-east-1 → us-west-2). A share of each account's sources
 * (`crossAccountShare`, default 10%) replicates instead into buckets of one DR account, with the DR bucket
 * policy, a DR replica key whose policy names the sources' roles, and owner override. Every rule healthy.
 *
 * Exported for every benchmark that needs the Organization (bench/org/run.ts, the DR-change latency bench).
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mapLimit } from '../../shared/support/concurrency.js';
import {
  derivedAccount,
  type KeyHandle,
  type ReplicationPath,
  scenario,
  type Scenario,
} from '../../test/scenarios/builder.js';
import { actAs, EMULATOR_CREDENTIALS } from '../../test/scenarios/builder/clients.js';
import { keyPolicy } from '../../test/scenarios/builder/policies.js';

export const SOURCE_REGION = 'us-east-1';
export const DESTINATION_REGION = 'us-west-2';
const ROLE = 'org-replication';

export interface OrganizationSpec {
  /** Accounts in all, the management account included. Default 100. */
  readonly accounts?: number;
  /** Buckets per account (sources and their same-account replicas), even. Default 20. */
  readonly bucketsPerAccount?: number;
  /** Share of each account's sources replicating into the DR account. Default 0.1. */
  readonly crossAccountShare?: number;
  /** Accounts built at once (each builds its pairs 8 at a time). Default 4. */
  readonly concurrency?: number;
  /** Seed of the management account's id (a fresh one per run by default). */
  readonly seed?: string;
  readonly onAccount?: (done: number, total: number) => void;
}

export interface Organization {
  readonly endpoint: string;
  readonly management: string;
  /** Every account, the management account first. */
  readonly accounts: readonly string[];
  /** The account holding the cross-account replicas. */
  readonly dr: string;
  /** Every replication path, by source account. */
  readonly paths: ReadonlyMap<string, readonly ReplicationPath[]>;
  /** Buckets created (sources, same-account replicas and the DR account's cross-account replicas). */
  readonly buckets: number;
  /** Sources replicating into the DR account. */
  readonly crossAccountSources: number;
  readonly setupSeconds: number;
}

/** Creates the Organization in `management` and its members; returns every ACTIVE account id, management first. */
const createOrganization = async (
  endpoint: string,
  management: string,
  members: number,
): Promise<string[]> => {
  const org = actAs(
    new OrganizationsClient({ endpoint, region: SOURCE_REGION, credentials: EMULATOR_CREDENTIALS }),
    management,
  );
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  await mapLimit(
    Array.from({ length: members }, (_, i) => i),
    8,
    (i) =>
      org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.org` })),
  );
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ ...(token ? { NextToken: token } : {}) }));
    ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? '').filter((id) => id && id !== management));
    token = page.NextToken;
  } while (token);
  return [management, ...ids];
};

/** One account's pairs; `toDr` of them replicate into the DR account with its shared replica key. */
const buildAccount = async (
  env: Scenario,
  pairs: number,
  toDr: number,
  dr: { readonly account: string; readonly key: KeyHandle },
): Promise<ReplicationPath[]> => {
  const prefix = `org${env.home.slice(-6)}`;
  const [sourceKey, replicaKey] = await Promise.all([
    env.key({ alias: `${prefix}-source`, policy: keyPolicy(env.home) }),
    env.key({ alias: `${prefix}-replica`, region: DESTINATION_REGION, policy: keyPolicy(env.home) }),
  ]);
  const role = await env.replicationRole(ROLE, {
    sources: [`${prefix}-*`],
    destinations: [`${prefix}-*`],
    sourceKeys: [{ arn: sourceKey.arn, region: SOURCE_REGION }],
    replicaKeys: [
      { arn: replicaKey.arn, region: DESTINATION_REGION },
      { arn: dr.key.arn, region: DESTINATION_REGION },
    ],
    ownerOverride: true,
    bucketKey: true,
  });
  await env.dataEventsTrail(env.home, SOURCE_REGION);
  const [queueArn, topicArn] = await Promise.all([
    env.queue(`${prefix}-replication-events`),
    env.topic(`${prefix}-ops`),
  ]);
  return mapLimit(
    Array.from({ length: pairs }, (_, i) => i),
    8,
    (i) =>
      env.replicatedPair({
        name: `${prefix}-${String(i).padStart(2, '0')}`,
        crossRegion: DESTINATION_REGION,
        kms: true,
        bucketKey: true,
        rtc: true,
        monitored: { queueArn, topicArn },
        role,
        sourceKey,
        ...(i < toDr
          ? { crossAccount: dr.account, replicaKey: dr.key, readOnlyRole: false }
          : { replicaKey }),
      }),
  );
};

/** Builds the Organization in the emulator at `endpoint` (see the module comment). */
export const buildOrganization = async (
  endpoint: string,
  spec: OrganizationSpec = {},
): Promise<Organization> => {
  const started = performance.now();
  const count = spec.accounts ?? 100;
  const perAccount = spec.bucketsPerAccount ?? 20;
  if (count < 2 || perAccount < 2 || perAccount % 2 !== 0)
    throw new Error('buildOrganization: at least 2 accounts and an even number (≥ 2) of buckets per account');
  const management = derivedAccount(spec.seed ?? `bench/org/${Date.now()}`);
  const accounts = await createOrganization(endpoint, management, count - 1);
  const dr = accounts[1] as string;
  const home = await scenario(endpoint, { account: management });
  // ReplGuard's member role in every member, trusting the management account
  await mapLimit(accounts.slice(1), 8, (account) => home.readOnlyRole(account));
  const pairs = perAccount / 2;
  // the DR account's own sources stay in the DR account; the others send `toDr` each to it
  const toDr = Math.max(1, Math.round(pairs * (spec.crossAccountShare ?? 0.1)));
  const senders = accounts.filter((a) => a !== dr);
  const drEnv = await scenario(endpoint, { account: dr });
  const drKey = await drEnv.key({
    alias: 'org-dr-replica',
    region: DESTINATION_REGION,
    policy: keyPolicy(
      dr,
      senders.map((a) => `arn:aws:iam::${a}:role/${ROLE}`),
    ),
  });
  let done = 0;
  const built = await mapLimit(accounts, spec.concurrency ?? 4, async (account) => {
    const env = account === dr ? drEnv : await scenario(endpoint, { account });
    const paths = await buildAccount(env, pairs, account === dr ? 0 : toDr, { account: dr, key: drKey });
    spec.onAccount?.(++done, accounts.length);
    return [account, paths] as const;
  });
  return {
    endpoint,
    management,
    accounts,
    dr,
    paths: new Map(built),
    buckets: count * perAccount,
    crossAccountSources: senders.length * toDr,
    setupSeconds: (performance.now() - started) / 1000,
  };
};
