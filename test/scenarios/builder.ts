/**
 * Builds whole replication setups in the emulator in a few lines, for integration tests and benchmarks.
 *
 * ```ts
 * const env = await scenario(endpoint, { account: testAccount('collect/related') });
 * const path = await env.replicatedPair({ name: 'phi-prod', crossAccount: true, crossRegion: true, kms: true,
 *   objectLock: 'COMPLIANCE', rtc: true, monitored: true });            // healthy by default
 * const broken = await env.replicatedPair({ name: 'phi-lab', kms: true,
 *   rolePolicy: (p) => withoutActions(p, 'kms:Decrypt') });           // one thing broken
 * const factory = env.clientFactory();                                // ReplGuard acting as the source account
 * ```
 *
 * Granular pieces: `env.bucket`, `env.key`, `env.role`, `env.replication`, `env.alarm`, `env.trail`, `env.queue`,
 * `env.topic`. Accounts other than the scenario's are reached by ReplGuard only through the read-only role
 * (`ReplGuardReadOnly`), which the scenario creates in each destination account, trusting the home account.
 */
import { createHash } from 'node:crypto';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { ClientFactory } from '../../shared/aws/clientFactory.js';
import { ScanSession } from '../../shared/collect/session.js';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../../shared/model/snapshot.js';
import {
  type AccountClients,
  accountClients,
  emulatorFactory,
  type FactoryOptions,
} from './builder/clients.js';
import { type PairHost, type PairOptions, type ReplicationPath, replicatedPair } from './builder/pair.js';
import {
  accountTrustPolicy,
  readOnlyPolicy,
  replicationRolePolicy,
  type RolePolicyInput,
  s3TrustPolicy,
} from './builder/policies.js';
import { type AlarmSpec, createAlarm, createTrail, type TrailSpec } from './builder/monitoring.js';
import { putReplication, type ReplicationSpec } from './builder/replication.js';
import {
  type BucketHandle,
  type BucketSpec,
  createBucket,
  createKey,
  createRole,
  type KeyHandle,
  type KeySpec,
  type RoleHandle,
  type RoleSpec,
  setVersioning,
  type Versioning,
} from './builder/resources.js';

export interface ScenarioOptions {
  /** The home (source) account: use `testAccount(seed)` so test files do not share state. */
  readonly account: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** The cross-account read-only role created in destination accounts. Default `ReplGuardReadOnly`. */
  readonly crossAccountRoleName?: string;
}

/** A 12-digit account id derived from `seed` (stable, and unlikely to meet another seed's). */
export const derivedAccount = (seed: string): string => {
  const digits = BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 15)}`)
    .toString()
    .padStart(12, '0');
  return `9${digits.slice(-11)}`;
};

/** One test's world in the emulator, acting as `account`. */
export class Scenario implements PairHost {
  readonly home: string;
  readonly region: string;
  readonly crossAccountRoleName: string;
  readonly #clients = new Map<string, AccountClients>();
  readonly #once = new Map<string, Promise<unknown>>();
  readonly #suffix: string;

  constructor(
    readonly endpoint: string,
    options: ScenarioOptions,
  ) {
    this.home = options.account;
    this.region = options.region ?? 'us-east-1';
    this.crossAccountRoleName = options.crossAccountRoleName ?? DEFAULT_PARAMETERS.crossAccountRoleName;
    this.#suffix = options.account.slice(-6);
  }

  /** The home account (alias of `home`). */
  get account(): string {
    return this.home;
  }

  /** Clients for building resources as `account` in `region` (not counted by any factory). */
  clients(account: string = this.home, region: string = this.region): AccountClients {
    const key = `${account}|${region}`;
    let c = this.#clients.get(key);
    if (!c) {
      c = accountClients(this.endpoint, account, region);
      this.#clients.set(key, c);
    }
    return c;
  }

  /** A peer account of this scenario (`dr`, `audit`, …), stable per label. */
  peer(label: string): string {
    return derivedAccount(`${this.home}/${label}`);
  }

  /** `base` made unique in the emulator (bucket names are global across accounts). Idempotent. */
  uniqueName(base: string): string {
    return base.endsWith(`-${this.#suffix}`) ? base : `${base}-${this.#suffix}`;
  }

  #memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.#once.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.#once.set(key, p);
    }
    return p;
  }

  bucket(spec: BucketSpec): Promise<BucketHandle> {
    return createBucket(this, spec);
  }

  key(spec: KeySpec = {}): Promise<KeyHandle> {
    return createKey(this, spec);
  }

  role(spec: RoleSpec): Promise<RoleHandle> {
    return createRole(this, spec);
  }

  /** A replication role for many pairs (bucket names may be patterns such as `bench-src-*`). */
  replicationRole(name: string, input: RolePolicyInput): Promise<RoleHandle> {
    return createRole(this, {
      name,
      trust: s3TrustPolicy(),
      inline: { replication: replicationRolePolicy(input) },
    });
  }

  /** PutBucketReplication; a source whose versioning should end Suspended is suspended afterwards. */
  replication(source: BucketHandle, spec: ReplicationSpec & { readonly thenVersioning?: 'Suspended' }) {
    return putReplication(this, source, spec, spec.thenVersioning);
  }

  setVersioning(bucket: BucketHandle, status: Versioning): Promise<void> {
    return setVersioning(this, bucket, status);
  }

  alarm(spec: AlarmSpec) {
    return createAlarm(this, spec);
  }

  trail(spec: TrailSpec) {
    return createTrail(this, spec);
  }

  /** An SQS queue's ARN (created once per name, account and Region). */
  queue(name: string, account: string = this.home, region: string = this.region): Promise<string> {
    return this.#memo(`queue|${account}|${region}|${name}`, async () => {
      const { sqs } = this.clients(account, region);
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      return attrs.Attributes?.QueueArn ?? `arn:aws:sqs:${region}:${account}:${name}`;
    });
  }

  /** An SNS topic's ARN (created once per name, account and Region). */
  topic(name: string, account: string = this.home, region: string = this.region): Promise<string> {
    return this.#memo(`topic|${account}|${region}|${name}`, async () => {
      const out = await this.clients(account, region).sns.send(new CreateTopicCommand({ Name: name }));
      return out.TopicArn ?? `arn:aws:sns:${region}:${account}:${name}`;
    });
  }

  /** ReplGuard's read-only role in `account`, trusting the home account (created once; an existing one is kept). */
  readOnlyRole(account: string): Promise<RoleHandle> {
    return this.#memo(`readonly|${account}`, async () => {
      const name = this.crossAccountRoleName;
      try {
        return await createRole(this, {
          name,
          account,
          trust: accountTrustPolicy(this.home),
          inline: { 'replguard-read': readOnlyPolicy() },
        });
      } catch (error) {
        if ((error as { name?: string }).name !== 'EntityAlreadyExistsException') throw error;
        return { name, arn: `arn:aws:iam::${account}:role/${name}`, account, policyArns: [] };
      }
    });
  }

  /** One multi-Region trail per account logging every S3 object write (created once per account). */
  dataEventsTrail(account: string, region: string = this.region) {
    return this.#memo(`trail|${account}`, () =>
      createTrail(this, {
        name: `org-trail-${account.slice(-4)}`,
        account,
        region,
        multiRegion: true,
        basic: [{ readWrite: 'All', values: ['arn:aws:s3'] }],
      }),
    );
  }

  /** A whole replication path, healthy unless told otherwise; see `PairOptions`. */
  replicatedPair(options: PairOptions): Promise<ReplicationPath> {
    return replicatedPair(this, options);
  }

  /** A ClientFactory acting as the home account against the emulator (other accounts via AssumeRole). */
  clientFactory(options: FactoryOptions = {}): ClientFactory {
    return emulatorFactory(this.endpoint, options.account ?? this.home, {
      region: this.region,
      crossAccountRoleName: this.crossAccountRoleName,
      ...options,
    });
  }

  /** A fresh scan session over a new factory. */
  session(options: FactoryOptions = {}, parameters: ScanParameters = DEFAULT_PARAMETERS): ScanSession {
    return new ScanSession(this.clientFactory(options), parameters);
  }
}

/** Starts a scenario acting as `options.account` against the emulator at `endpoint`. */
export const scenario = async (endpoint: string, options: ScenarioOptions): Promise<Scenario> =>
  new Scenario(endpoint, options);

export { withoutActions, withoutStatements } from './builder/policies.js';
export type { PairOptions, ReplicationPath } from './builder/pair.js';
export type { BucketHandle, KeyHandle, RoleHandle } from './builder/resources.js';
export type { DeniedCall, FactoryOptions } from './builder/clients.js';
