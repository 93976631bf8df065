/**
 * Each replication pair of the scanned snapshots as a path of hops (source → role → keys → destination, and
 * the pair itself), each with what was read about it and the results that judge it (mapping in hops.ts).
 */
import type { Datum } from '../model/datum.js';
import type { RuleResult } from '../model/result.js';
import type {
  BucketEncryption,
  KeyInfo,
  ObjectLockInfo,
  ReplicationRule,
  Snapshot,
} from '../model/snapshot.js';
import { regionOfKeyArn, resolveKey } from '../rules/lib/keys.js';
import { ruleById } from '../rules/index.js';
import { HOP_LABELS, type Hop, hopOf, judgesPair, type PairRef, PATH_HOPS, worstStatus } from './hops.js';
import type { Check, Fact, HopModel, LoneBucket, PairModel } from './model.js';

/** Why it could not be read, briefly (the findings say it in full). */
const unknownFact = (label: string, d: { reason: string; permission?: string }): Fact => ({
  label,
  value: d.permission ? `unknown (needs ${d.permission})` : `unknown: ${d.reason}`,
  unknown: true,
});

/** A fact from a value read from AWS: its rendering, or why it could not be read. */
const fact = <T>(label: string, d: Datum<T> | undefined, show: (value: T) => string): Fact =>
  d === undefined
    ? { label, value: 'not read', unknown: true }
    : d.known
      ? { label, value: show(d.value) }
      : unknownFact(label, d);

const encryption = (e: BucketEncryption | null): string =>
  e ? `${e.algorithm}${e.bucketKeyEnabled ? ', S3 Bucket Key' : ''}` : 'no default encryption';

const objectLock = (o: ObjectLockInfo | null): string => {
  if (!o?.enabled) return 'off';
  const r = o.defaultRetention;
  const period = r?.years ? `${r.years} years` : r?.days ? `${r.days} days` : '';
  return r ? `on, ${r.mode}${period ? ` ${period}` : ''}` : 'on, no default retention';
};

/** `arn:aws:kms:<region>:<account>:key/<id>` → `key/<id>` when that is the bucket's account and Region. */
const shortKey = (ref: string, region: string | undefined, accountId: string): string => {
  const m = /^arn:[^:]+:kms:([^:]*):([^:]*):((?:key|alias)\/.+)$/.exec(ref);
  return m?.[3] && m[1] === region && m[2] === accountId ? m[3] : ref;
};

const keyState = (
  ref: string,
  d: Datum<KeyInfo | null>,
  region: string | undefined,
  accountId: string,
): Fact => {
  const key = shortKey(ref, region, accountId);
  if (!d.known) return { ...unknownFact('', d), value: `${key}: ${unknownFact('', d).value}` };
  if (d.value === null) return { label: '', value: `${key} (does not exist)` };
  return { label: '', value: `${key} (${d.value.state}${d.value.manager === 'AWS' ? ', AWS managed' : ''})` };
};

const sourceKey = (s: Snapshot): Fact => {
  const label = 'Source key';
  const enc = s.source.encryption;
  if (!enc.known) return unknownFact(label, enc);
  const value = enc.value;
  if (!value?.algorithm.startsWith('aws:kms')) return { label, value: 'none (not SSE-KMS)' };
  if (!value.kmsKeyId) return { label, value: 'aws/s3 (AWS managed)' };
  const ref = value.kmsKeyId;
  return {
    ...keyState(
      ref,
      resolveKey(s, ref, s.source.region, [s.source.accountId]),
      s.source.region,
      s.source.accountId,
    ),
    label,
  };
};

const replicaKey = (s: Snapshot, rule: ReplicationRule, accountId: string): Fact => {
  const label = 'Replica key';
  const ref = rule.destination.replicaKmsKeyId;
  if (!ref) return { label, value: 'none configured' };
  const region = s.destinations[rule.destination.bucketArn]?.region;
  const where = region?.known ? region.value : regionOfKeyArn(ref);
  return {
    ...keyState(ref, resolveKey(s, ref, where, [accountId, s.source.accountId]), where, accountId),
    label,
  };
};

const roleFacts = (s: Snapshot, roleArn: string): Fact[] => {
  const name = roleArn.split('/').pop() ?? roleArn;
  const info = s.roles[roleArn];
  return [
    { label: 'Role', value: name },
    { label: 'Account', value: roleArn.split(':')[4] ?? '' },
    fact('Found', info, (r) =>
      r === null
        ? 'no: the role does not exist'
        : `yes: ${r.inlinePolicies.length} inline, ${r.managedPolicies.length} managed ${
            r.managedPolicies.length === 1 ? 'policy' : 'policies'
          }${r.permissionsBoundary ? ', a permissions boundary' : ''}`,
    ),
  ];
};

const checkOf = (r: RuleResult): Check => ({
  ruleId: r.ruleId,
  title: ruleById(r.ruleId)?.title ?? r.ruleId,
  severity: r.severity,
  status: r.status,
  message: r.message,
});

const hopModel = (hop: Hop, facts: Fact[], results: readonly RuleResult[]): HopModel => {
  const checks = results.filter((r) => hopOf(r) === hop).map(checkOf);
  return { hop, label: HOP_LABELS[hop], status: worstStatus(checks.map((c) => c.status)), facts, checks };
};

const pairModel = (s: Snapshot, roleArn: string, rule: ReplicationRule, results: readonly RuleResult[]) => {
  const src = s.source;
  const ref: PairRef = { source: src.name, destination: rule.destination.bucket, ruleId: rule.id };
  const mine = results.filter((r) => judgesPair(r, ref));
  const dst = s.destinations[rule.destination.bucketArn];
  const dstAccount = dst?.accountId ?? rule.destination.account ?? src.accountId;
  const facts: Record<Hop, Fact[]> = {
    source: [
      { label: 'Bucket', value: src.name },
      { label: 'Account', value: src.accountId },
      { label: 'Region', value: src.region },
      fact('Versioning', src.versioning, String),
      fact('Encryption', src.encryption, encryption),
      fact('Object Lock', src.objectLock, objectLock),
    ],
    role: roleFacts(s, roleArn),
    keys: [
      sourceKey(s),
      replicaKey(s, rule, dstAccount),
      {
        label: 'KMS objects',
        value: rule.sseKmsEncryptedObjects === 'Enabled' ? 'replicated' : 'not selected',
      },
    ],
    destination: [
      { label: 'Bucket', value: rule.destination.bucket },
      { label: 'Account', value: dstAccount },
      fact('Region', dst?.region, String),
      fact('Exists', dst?.exists, (e) => (e ? 'yes' : 'no')),
      fact('Versioning', dst?.versioning, String),
      fact('Encryption', dst?.encryption, encryption),
      fact('Object Lock', dst?.objectLock, objectLock),
    ],
    pair: [
      { label: 'Replication rule', value: `${rule.id} (${rule.status})` },
      {
        label: 'Metrics',
        value: rule.destination.metrics?.status === 'Enabled' ? 'enabled' : 'off',
      },
      {
        label: 'Replication Time Control',
        value: rule.destination.replicationTime?.status === 'Enabled' ? 'enabled' : 'off',
      },
    ],
  };
  const hops = PATH_HOPS.map((hop) => hopModel(hop, facts[hop], mine));
  const pair = hopModel('pair', facts.pair, mine);
  return {
    ...ref,
    scope: s.scope.reason,
    status: worstStatus([...hops, pair].map((h) => h.status)),
    hops,
    pair,
  } satisfies PairModel;
};

/** The pairs of `snapshots` (by source bucket, then replication rule), and the in-scope buckets without one. */
export const pairsOf = (
  snapshots: readonly Snapshot[],
  results: readonly RuleResult[],
): { pairs: PairModel[]; lone: LoneBucket[] } => {
  const pairs: PairModel[] = [];
  const lone: LoneBucket[] = [];
  for (const s of [...snapshots].sort((a, b) => a.source.name.localeCompare(b.source.name))) {
    const replication = s.source.replication;
    if (replication.known && replication.value && replication.value.rules.length > 0) {
      const config = replication.value;
      for (const rule of config.rules) pairs.push(pairModel(s, config.role, rule, results));
      continue;
    }
    const checks = results.filter((r) => r.bucket === s.source.name).map(checkOf);
    lone.push({
      bucket: s.source.name,
      scope: s.scope.reason,
      status: worstStatus(checks.map((c) => c.status)),
      facts: [
        { label: 'Account', value: s.source.accountId },
        { label: 'Region', value: s.source.region },
        fact('Replication', replication, () => 'no replication rule'),
        fact('Versioning', s.source.versioning, String),
      ],
      checks,
    });
  }
  return { pairs, lone };
};
