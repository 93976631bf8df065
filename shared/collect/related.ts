import type { Datum } from '../model/datum.js';
import {
  type DestinationBucket,
  type KeyInfo,
  type Snapshot,
  type SourceBucket,
  trailScopeId,
  type TrailInfo,
} from '../model/snapshot.js';
import { regionOfArn } from './normalise/arn.js';
import { readReplicationAlarms } from './readers/cloudwatch.js';
import { readTrails } from './readers/cloudtrail.js';
import { readRole } from './readers/iam.js';
import { type KeyRef, keyRefIdOf, locateKeyRef, readKey } from './readers/kms.js';
import type { ScanSession } from './session.js';

/** The AWS managed key S3 uses for `aws:kms` without a key id. */
export const AWS_MANAGED_S3_KEY = 'alias/aws/s3';

const isKms = (algorithm: string): boolean => algorithm.startsWith('aws:kms');

/**
 * Every KMS key the path uses, with where it is used: the source's default key (source Region and account),
 * each rule's ReplicaKmsKeyID (the destination's Region, and the rule's `Account` or the source account; an
 * ARN names its own), and each destination's default key (its Region and account). Deduplicated.
 */
export const keyRefsOf = (
  source: SourceBucket,
  destinations: Readonly<Record<string, DestinationBucket>>,
): KeyRef[] => {
  const refs: KeyRef[] = [];
  const enc = source.encryption;
  if (enc.known && enc.value && isKms(enc.value.algorithm))
    refs.push({
      ref: enc.value.kmsKeyId ?? AWS_MANAGED_S3_KEY,
      region: source.region,
      accountId: source.accountId,
    });
  const rules = source.replication.known ? (source.replication.value?.rules ?? []) : [];
  for (const rule of rules) {
    const ref = rule.destination.replicaKmsKeyId;
    if (!ref) continue;
    const dst = destinations[rule.destination.bucketArn];
    const region = regionOfArn(ref) ?? (dst?.region.known ? dst.region.value : undefined);
    if (!region) continue;
    refs.push(
      locateKeyRef({
        ref,
        region,
        accountId: rule.destination.account ?? dst?.accountId ?? source.accountId,
      }),
    );
  }
  for (const dst of Object.values(destinations)) {
    if (!dst.region.known || !dst.encryption.known || !dst.encryption.value) continue;
    if (!isKms(dst.encryption.value.algorithm)) continue;
    const ref = dst.encryption.value.kmsKeyId ?? AWS_MANAGED_S3_KEY;
    refs.push(locateKeyRef({ ref, region: dst.region.value, accountId: dst.accountId }));
  }
  return [...new Map(refs.map((r) => [keyRefIdOf(r), r])).values()];
};

/** Account and Region pairs whose trails can log the path's buckets: the source's and each destination's. */
export const trailScopesOf = (
  source: SourceBucket,
  destinations: Readonly<Record<string, DestinationBucket>>,
): { accountId: string; region: string }[] => {
  const scopes = [{ accountId: source.accountId, region: source.region }];
  for (const d of Object.values(destinations))
    if (d.exists.known && d.exists.value && d.region.known)
      scopes.push({ accountId: d.accountId, region: d.region.value });
  return [...new Map(scopes.map((s) => [trailScopeId(s.accountId, s.region), s])).values()];
};

/**
 * The resources a replication path depends on beyond the buckets: the replication role, the KMS keys,
 * the replication alarms and the trails. Every read goes through the session memo, so buckets sharing a
 * role, a key, or an account and Region pay for it once per scan.
 */
export const collectRelated = async (
  session: ScanSession,
  source: SourceBucket,
  destinations: Readonly<Record<string, DestinationBucket>>,
): Promise<Pick<Snapshot, 'roles' | 'keys' | 'alarms' | 'trails'>> => {
  const replication = source.replication.known ? source.replication.value : null;
  const roleArns = replication?.role ? [replication.role] : [];
  const keyRefs = keyRefsOf(source, destinations);
  const scopes = trailScopesOf(source, destinations);
  const [roleData, keyData, alarms, trailData] = await Promise.all([
    Promise.all(roleArns.map((arn) => readRole(session, arn))),
    Promise.all(keyRefs.map((ref) => readKey(session, ref))),
    readReplicationAlarms(session, source.accountId, source.region),
    Promise.all(scopes.map((s) => readTrails(session, s.accountId, s.region))),
  ]);
  const keys: Record<string, Datum<KeyInfo | null>> = {};
  keyRefs.forEach((ref, i) => {
    const datum = keyData[i] as Datum<KeyInfo | null>;
    keys[keyRefIdOf(ref)] = datum;
  });
  // the resolved ARN as well, without overwriting an entry stored under its own reference
  for (const datum of keyData)
    if (datum.known && datum.value && !keys[datum.value.keyArn]) keys[datum.value.keyArn] = datum;
  const trails: Record<string, Datum<readonly TrailInfo[]>> = {};
  scopes.forEach((s, i) => {
    trails[trailScopeId(s.accountId, s.region)] = trailData[i] as Datum<readonly TrailInfo[]>;
  });
  return {
    roles: Object.fromEntries(roleArns.map((arn, i) => [arn, roleData[i] as Datum<never>])),
    keys,
    alarms,
    trails,
  };
};
