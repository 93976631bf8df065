/**
 * A fleet of replicated buckets for the scan benchmark: N cross-account, cross-Region SSE-KMS pairs sharing
 * 2 replication roles and 3 KMS keys (one source key, two replica keys), with S3 Bucket Keys and RTC; each source
 * with a pending-replication alarm and failure notifications (one shared queue and topic), one data-events trail
 * per account. Healthy: every rule passes. Built in parallel.
 */
import { mapLimit } from '../../shared/engine/scan.js';
import {
  type KeyHandle,
  type ReplicationPath,
  type RoleHandle,
  type Scenario,
} from '../../test/scenarios/builder.js';
import { keyPolicy } from '../../test/scenarios/builder/policies.js';

export interface Fleet {
  readonly paths: readonly ReplicationPath[];
  /** Wall time of the setup (its API calls are not counted by the scan's factory). */
  readonly setupMs: number;
}

export const SOURCE_REGION = 'us-east-1';
export const DESTINATION_REGION = 'us-west-2';

export const buildFleet = async (env: Scenario, size: number, concurrency = 16): Promise<Fleet> => {
  const started = performance.now();
  const dst = env.peer('dr');
  const prefix = `bench${size}`;
  await env.readOnlyRole(dst);
  const roleArn = (suffix: string) => `arn:aws:iam::${env.home}:role/${prefix}-replication-${suffix}`;
  const replicaKey = (suffix: string) =>
    env.key({
      account: dst,
      region: DESTINATION_REGION,
      alias: `${prefix}-replica-${suffix}`,
      policy: keyPolicy(dst, [roleArn(suffix)]),
    });
  const [sourceKey, replicaA, replicaB] = await Promise.all([
    env.key({ alias: `${prefix}-source`, policy: keyPolicy(env.home) }),
    replicaKey('a'),
    replicaKey('b'),
  ]);
  const role = (name: string, replica: KeyHandle): Promise<RoleHandle> =>
    env.replicationRole(name, {
      sources: [`${prefix}-*`],
      destinations: [`${prefix}-*`],
      sourceKeys: [{ arn: sourceKey.arn, region: SOURCE_REGION }],
      replicaKeys: [{ arn: replica.arn, region: DESTINATION_REGION }],
      ownerOverride: true,
      bucketKey: true,
    });
  const roles = await Promise.all([
    role(`${prefix}-replication-a`, replicaA),
    role(`${prefix}-replication-b`, replicaB),
  ]);
  await Promise.all([
    env.dataEventsTrail(env.home, SOURCE_REGION),
    env.dataEventsTrail(dst, DESTINATION_REGION),
  ]);
  const [queueArn, topicArn] = await Promise.all([
    env.queue(`${prefix}-replication-events`),
    env.topic(`${prefix}-ops`),
  ]);
  const paths = await mapLimit(
    Array.from({ length: size }, (_, i) => i),
    concurrency,
    async (i) => {
      const even = i % 2 === 0;
      return env.replicatedPair({
        name: `${prefix}-${String(i).padStart(4, '0')}`,
        crossAccount: dst,
        crossRegion: DESTINATION_REGION,
        kms: true,
        bucketKey: true,
        rtc: true,
        monitored: { queueArn, topicArn },
        role: roles[even ? 0 : 1] as RoleHandle,
        sourceKey,
        replicaKey: even ? replicaA : replicaB,
      });
    },
  );
  return { paths, setupMs: performance.now() - started };
};
