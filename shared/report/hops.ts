/**
 * The replication path as the report draws it: source → role → keys → destination, plus the pair itself
 * (monitoring and recovery). Each catalog rule judges one hop; a hop's status is the worst status of the
 * results that judge it on that pair. A test keeps every catalog rule mapped.
 */
import type { RuleResult, Status } from '../model/result.js';

export const Hop = {
  Source: 'source',
  Role: 'role',
  Keys: 'keys',
  Destination: 'destination',
  /** The replication rule itself: where copies go, how failures are noticed, what is left to copy. */
  Pair: 'pair',
} as const;
export type Hop = (typeof Hop)[keyof typeof Hop];

/** The hops drawn as boxes, in path order (the pair hop is drawn under them). */
export const PATH_HOPS: readonly Hop[] = [Hop.Source, Hop.Role, Hop.Keys, Hop.Destination];

export const HOP_LABELS: Readonly<Record<Hop, string>> = {
  source: 'Source bucket',
  role: 'Replication role',
  keys: 'KMS keys',
  destination: 'Destination bucket',
  pair: 'Monitoring and recovery',
};

/** Column headings (the summary's table of pairs). */
export const HOP_SHORT_LABELS: Readonly<Record<Hop, string>> = {
  source: 'Source',
  role: 'Role',
  keys: 'Keys',
  destination: 'Destination',
  pair: 'Monitoring',
};

/** `side`: the source bucket for a result about the source, the destination bucket for one about a destination. */
type HopRef = Hop | 'side';

/**
 * Which hop each catalog rule judges. Rules that check both buckets (`encryption_at_rest_kms`,
 * `tls_only_policy`) colour the bucket their result is about; `cloudtrail_data_events` and the other
 * monitoring rules colour the pair. A rule missing here (a runtime rule) colours the pair.
 */
export const RULE_HOPS: Readonly<Record<string, HopRef>> = {
  replication_configured: Hop.Source,
  versioning_source_enabled: Hop.Source,
  encryption_at_rest_kms: 'side',
  tls_only_policy: 'side',
  role_trusts_s3: Hop.Role,
  role_source_permissions: Hop.Role,
  role_destination_permissions: Hop.Role,
  kms_source_decrypt_allowed: Hop.Keys,
  kms_destination_encrypt_allowed: Hop.Keys,
  kms_encrypted_objects_replicated: Hop.Keys,
  kms_replica_key_configured: Hop.Keys,
  replication_destination_reachable: Hop.Destination,
  versioning_destination_enabled: Hop.Destination,
  destination_policy_allows_role: Hop.Destination,
  object_lock_destination_enabled: Hop.Destination,
  object_lock_mode_consistent: Hop.Destination,
  replication_cross_region: Hop.Pair,
  replication_metrics_enabled: Hop.Pair,
  replication_time_control: Hop.Pair,
  pending_replication_alarm: Hop.Pair,
  failure_notifications_configured: Hop.Pair,
  cloudtrail_data_events: Hop.Pair,
  replication_backlog_objects: Hop.Pair,
};

/** The hop a result colours. */
export const hopOf = (r: Pick<RuleResult, 'ruleId' | 'destinationBucket'>): Hop => {
  const ref = RULE_HOPS[r.ruleId] ?? Hop.Pair;
  if (ref !== 'side') return ref;
  return r.destinationBucket === null ? Hop.Source : Hop.Destination;
};

/** The rule ids that judge `hop` (a `side` rule judges both buckets). */
export const rulesOfHop = (hop: Hop): string[] =>
  Object.entries(RULE_HOPS)
    .filter(([, ref]) => ref === hop || (ref === 'side' && (hop === Hop.Source || hop === Hop.Destination)))
    .map(([id]) => id);

/** A replication pair: one replication rule of a source bucket and the destination it writes to. */
export interface PairRef {
  readonly source: string;
  readonly destination: string;
  readonly ruleId: string;
}

/**
 * Whether `r` is about `pair`: a result about the source alone applies to each of its pairs, one about a
 * destination bucket to each pair writing there, one about a replication rule to that rule's pair.
 */
export const judgesPair = (r: RuleResult, pair: PairRef): boolean =>
  r.bucket === pair.source &&
  (r.destinationBucket === null ||
    (r.destinationBucket === pair.destination &&
      (r.replicationRuleId === null || r.replicationRuleId === pair.ruleId)));

/** A hop's status: `NOT_EVALUATED` when no result judges it. */
export type HopStatus = Status | 'NOT_EVALUATED';

/** Most alarming first. */
const STATUS_RANK: readonly HopStatus[] = [
  'NON_COMPLIANT',
  'UNKNOWN',
  'COMPLIANT',
  'NOT_APPLICABLE',
  'NOT_EVALUATED',
];

/** The most alarming of `statuses` (NON_COMPLIANT, then UNKNOWN, COMPLIANT, NOT_APPLICABLE). */
export const worstStatus = (statuses: readonly HopStatus[]): HopStatus =>
  statuses.reduce<HopStatus>(
    (worst, s) => (STATUS_RANK.indexOf(s) < STATUS_RANK.indexOf(worst) ? s : worst),
    'NOT_EVALUATED',
  );
