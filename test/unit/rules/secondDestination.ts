/**
 * A second replication path for near-miss tests of the non-permission rules: rule `archive-to-eu`
 * (prefix `archive/`, priority 2) to `phi-archive` in the source account, eu-west-1, whose replica key is
 * given as an alias ARN and whose backlog is watched by a metric-math alarm.
 */
import { known } from '../../../shared/model/datum.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  type MutableSnapshot,
  SRC_ACCOUNT,
  SRC_BUCKET,
  TOPIC_ARN,
  tlsOnlyStatement,
} from '../../fixtures/snapshots.js';

export const ARCHIVE_BUCKET = 'phi-archive';
export const ARCHIVE_ARN = `arn:aws:s3:::${ARCHIVE_BUCKET}`;
export const ARCHIVE_REGION = 'eu-west-1';
export const ARCHIVE_RULE = 'archive-to-eu';
export const ARCHIVE_KEY_ID = '3333cccc-0000-4000-8000-000000000003';
export const ARCHIVE_KEY_ARN = `arn:aws:kms:${ARCHIVE_REGION}:${SRC_ACCOUNT}:key/${ARCHIVE_KEY_ID}`;
export const ARCHIVE_ALIAS_ARN = `arn:aws:kms:${ARCHIVE_REGION}:${SRC_ACCOUNT}:alias/phi-archive`;

/** The replication rules of a mutable snapshot. */
export const rulesOf = (s: MutableSnapshot) => {
  if (!s.source.replication.known || !s.source.replication.value)
    throw new Error('fixture has no replication');
  return s.source.replication.value.rules;
};

/** Adds the archive rule, its destination, its replica key (under the alias ARN and the key ARN) and its alarm. */
export const addSecondDestination = (s: MutableSnapshot): void => {
  rulesOf(s).push({
    id: ARCHIVE_RULE,
    priority: 2,
    status: 'Enabled',
    filter: { prefix: 'archive/' },
    deleteMarkerReplication: 'Disabled',
    sseKmsEncryptedObjects: 'Enabled',
    destination: {
      bucketArn: ARCHIVE_ARN,
      bucket: ARCHIVE_BUCKET,
      replicaKmsKeyId: ARCHIVE_ALIAS_ARN,
      metrics: { status: 'Enabled', eventThresholdMinutes: 15 },
      replicationTime: { status: 'Enabled', minutes: 15 },
    },
  });
  s.destinations[ARCHIVE_ARN] = {
    name: ARCHIVE_BUCKET,
    arn: ARCHIVE_ARN,
    accountId: SRC_ACCOUNT,
    exists: known(true),
    region: known(ARCHIVE_REGION),
    versioning: known('Enabled'),
    encryption: known({ algorithm: 'aws:kms:dsse', kmsKeyId: ARCHIVE_ALIAS_ARN, bucketKeyEnabled: false }),
    objectLock: known({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 1 } }),
    policy: known({
      Version: '2012-10-17',
      Statement: [
        { ...tlsOnlyStatement(ARCHIVE_BUCKET), Resource: `arn:aws:s3:::${ARCHIVE_BUCKET}` },
        {
          Sid: 'DenyInsecureObjects',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: `arn:aws:s3:::${ARCHIVE_BUCKET}*`,
          Condition: { BoolIfExists: { 'aws:SecureTransport': false } },
        },
      ],
    }),
  };
  const key = known({
    ref: ARCHIVE_ALIAS_ARN,
    keyArn: ARCHIVE_KEY_ARN,
    keyId: ARCHIVE_KEY_ID,
    accountId: SRC_ACCOUNT,
    region: ARCHIVE_REGION,
    state: 'Enabled',
    manager: 'CUSTOMER' as const,
    policy: known({ Version: '2012-10-17', Statement: [] }),
  });
  s.keys[ARCHIVE_ALIAS_ARN] = key;
  s.keys[ARCHIVE_KEY_ARN] = key;
  if (!s.alarms.known) throw new Error('fixture alarms unknown');
  const dims = { SourceBucket: SRC_BUCKET, DestinationBucket: ARCHIVE_BUCKET, RuleId: ARCHIVE_RULE };
  s.alarms.value.push({
    name: 'phi-archive-backlog',
    arn: `arn:aws:cloudwatch:us-east-1:${SRC_ACCOUNT}:alarm:phi-archive-backlog`,
    actionsEnabled: true,
    alarmActions: [TOPIC_ARN],
    metrics: [
      { namespace: 'AWS/S3', name: 'ReplicationLatency', dimensions: dims },
      { namespace: 'AWS/S3', name: 'OperationsPendingReplication', dimensions: dims },
    ],
  });
};

type DeepMutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/** A model value typed for assignment into a `MutableSnapshot` (its readonly arrays made writable). */
export const mutable = <T>(value: T): DeepMutable<T> => value as DeepMutable<T>;

/** (destination, replication rule, status) of each result, for compact expectations. */
export const outcomes = (results: readonly RuleResult[]) =>
  results.map((r) => [r.destinationBucket, r.replicationRuleId, r.status] as const);

/** The one result for `destination` (and rule), failing the test when there is not exactly one. */
export const resultFor = (
  results: readonly RuleResult[],
  destination: string | null,
  ruleId?: string,
): RuleResult => {
  const found = results.filter(
    (r) => r.destinationBucket === destination && (ruleId === undefined || r.replicationRuleId === ruleId),
  );
  if (found.length !== 1)
    throw new Error(`expected one result for ${destination}/${ruleId}, got ${found.length}`);
  return found[0] as RuleResult;
};

export type SnapshotChange = (s: MutableSnapshot) => void;
export type Case = [name: string, change: SnapshotChange, status: RuleResult['status'], message?: RegExp];
