/**
 * The evaluation benchmark's fleet: N snapshots shaped like the scan benchmark's (cross-account, cross-Region
 * SSE-KMS pairs with Bucket Keys and RTC), sharing 2 replication roles and 3 KMS keys. Every snapshot holds
 * the same role and key objects, as a scan session shares what it read once.
 */
import { known } from '../../shared/model/datum.js';
import type { KeyInfo, PolicyDocument, RoleInfo, Snapshot } from '../../shared/model/snapshot.js';
import {
  DST_ACCOUNT,
  DST_REGION,
  firstRule,
  healthySnapshot,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../test/fixtures/snapshots.js';
import {
  destinationBucketPolicy,
  keyPolicy,
  replicationRolePolicy,
  s3TrustPolicy,
  tlsOnlyPolicy,
} from '../../test/scenarios/builder/policies.js';

const PREFIX = 'bench';

const keyArn = (account: string, region: string, n: number) =>
  `arn:aws:kms:${region}:${account}:key/0000beef-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SOURCE_KEY = keyArn(SRC_ACCOUNT, SRC_REGION, 1);
const REPLICA_KEYS = [keyArn(DST_ACCOUNT, DST_REGION, 2), keyArn(DST_ACCOUNT, DST_REGION, 3)] as const;
const ROLE_ARNS = [
  `arn:aws:iam::${SRC_ACCOUNT}:role/${PREFIX}-replication-a`,
  `arn:aws:iam::${SRC_ACCOUNT}:role/${PREFIX}-replication-b`,
] as const;

const keyInfo = (arn: string, account: string, region: string, policy: PolicyDocument): KeyInfo => ({
  ref: arn,
  keyArn: arn,
  keyId: arn.slice(arn.lastIndexOf('/') + 1),
  accountId: account,
  region,
  state: 'Enabled',
  manager: 'CUSTOMER',
  policy: known(policy),
});

const roleInfo = (arn: string, replicaKey: string): RoleInfo => ({
  arn,
  name: arn.slice(arn.lastIndexOf('/') + 1),
  accountId: SRC_ACCOUNT,
  trustPolicy: s3TrustPolicy(),
  inlinePolicies: [
    {
      name: 'replication',
      document: replicationRolePolicy({
        sources: [`${PREFIX}-*`],
        destinations: [`${PREFIX}-*`],
        sourceKeys: [{ arn: SOURCE_KEY, region: SRC_REGION }],
        replicaKeys: [{ arn: replicaKey, region: DST_REGION }],
        ownerOverride: true,
        bucketKey: true,
      }),
    },
  ],
  managedPolicies: [],
});

/** N fleet-like snapshots; every snapshot holds the same 2 role and 3 key objects. */
export const buildFleet = (size: number): Snapshot[] => {
  const roles = Object.fromEntries(
    ROLE_ARNS.map((arn, i) => [arn, known(roleInfo(arn, REPLICA_KEYS[i] as string))]),
  );
  const keys = {
    [SOURCE_KEY]: known(keyInfo(SOURCE_KEY, SRC_ACCOUNT, SRC_REGION, keyPolicy(SRC_ACCOUNT))),
    ...Object.fromEntries(
      REPLICA_KEYS.map((arn, i) => [
        arn,
        known(keyInfo(arn, DST_ACCOUNT, DST_REGION, keyPolicy(DST_ACCOUNT, [ROLE_ARNS[i] as string]))),
      ]),
    ),
  };
  const base = healthySnapshot();
  return Array.from({ length: size }, (_, i) => {
    const src = `${PREFIX}-${String(i).padStart(4, '0')}`;
    const dst = `${src}-dr`;
    const dstArn = `arn:aws:s3:::${dst}`;
    const roleArn = ROLE_ARNS[i % 2] as string;
    const replicaKey = REPLICA_KEYS[i % 2] as string;
    const snapshot = variant((s) => {
      s.source.name = src;
      s.source.arn = `arn:aws:s3:::${src}`;
      s.source.encryption = known({ algorithm: 'aws:kms', kmsKeyId: SOURCE_KEY, bucketKeyEnabled: true });
      s.source.objectLock = known(null);
      s.source.policy = known(tlsOnlyPolicy(src));
      const rule = firstRule(s);
      rule.id = `${src}-to-dr`;
      rule.destination.bucket = dst;
      rule.destination.bucketArn = dstArn;
      rule.destination.replicaKmsKeyId = replicaKey;
      if (s.source.replication.known && s.source.replication.value) s.source.replication.value.role = roleArn;
      const [destination] = Object.values(s.destinations);
      if (!destination) throw new Error('fixture has no destination');
      s.destinations = {
        [dstArn]: {
          ...destination,
          name: dst,
          arn: dstArn,
          encryption: known({ algorithm: 'aws:kms', kmsKeyId: replicaKey, bucketKeyEnabled: true }),
          objectLock: known(null),
          policy: known(destinationBucketPolicy(dst, [roleArn])),
        },
      };
      if (s.alarms.known)
        for (const alarm of s.alarms.value)
          for (const metric of alarm.metrics)
            metric.dimensions = { SourceBucket: src, DestinationBucket: dst, RuleId: rule.id };
    }, base) as { -readonly [K in keyof Snapshot]: Snapshot[K] };
    // shared by identity, as a scan session shares the role and key it read once
    snapshot.roles = roles;
    snapshot.keys = keys;
    return snapshot;
  });
};
