/**
 * The Organization-wide index of replication edges: which source bucket (account, Region) replicates into
 * which destination bucket (account), with which role and which replica keys. A change in any account looks
 * up the sources it affects here, in whichever account they are (a destination's bucket policy or key in a
 * DR account re-evaluates the sources in other accounts). Pure: the store (shared/collect/edgeStore.ts,
 * Amazon DynamoDB) keeps what these functions produce.
 */
import type { ReplicationConfiguration } from '../model/snapshot.js';

/** A source bucket, where it is. */
export interface SourceRef {
  readonly bucket: string;
  readonly accountId: string;
  readonly region: string;
}

/** One replication edge: a rule of `source` replicating into `destinationBucket`. */
export interface ReplicationEdge {
  readonly source: SourceRef;
  readonly destinationBucket: string;
  /** The destination bucket's owner when the rule names it (`Account`); bucket names are global, lookups need none. */
  readonly destinationAccount?: string;
  /** The replication role's ARN. */
  readonly role: string;
  /** Replica KMS keys the rule names, as configured (key ARNs, ids or aliases). */
  readonly replicaKeys: readonly string[];
}

/** What a change can name: a bucket (as destination), a role, a KMS key (its id). */
export type EdgeLookup =
  | { readonly kind: 'destination'; readonly bucket: string }
  | { readonly kind: 'role'; readonly roleArn: string }
  | { readonly kind: 'key'; readonly keyId: string };

/** The store of edges (DynamoDB in a deployment). */
export interface EdgeStore {
  /** The sources an edge of which matches `lookup`. */
  sourcesOf(lookup: EdgeLookup): Promise<SourceRef[]>;
  /** Replaces every edge of one source (none: the source no longer replicates). */
  putSource(source: SourceRef, edges: readonly ReplicationEdge[]): Promise<void>;
  /** Forgets a source (its bucket or its replication configuration was deleted). */
  removeSource(source: Pick<SourceRef, 'bucket' | 'accountId'>): Promise<void>;
  /**
   * Rebuild of one (account, Region) shard by the sweep: the edges of every source of the shard as read now;
   * sources of that shard the store holds but the sweep did not see are removed.
   */
  replaceShard(
    shard: { readonly accountId: string; readonly region: string },
    sources: readonly { readonly source: SourceRef; readonly edges: readonly ReplicationEdge[] }[],
  ): Promise<{ readonly written: number; readonly removed: number }>;
}

/** The edges of one source from its replication configuration (none without one). */
export const edgesOf = (
  source: SourceRef,
  replication: ReplicationConfiguration | null | undefined,
): ReplicationEdge[] => {
  if (!replication) return [];
  const byDestination = new Map<string, ReplicationEdge>();
  for (const rule of replication.rules) {
    const destinationBucket = rule.destination.bucket;
    const previous = byDestination.get(destinationBucket);
    const key = rule.destination.replicaKmsKeyId;
    const replicaKeys = [...(previous?.replicaKeys ?? []), ...(key ? [key] : [])];
    byDestination.set(destinationBucket, {
      source,
      destinationBucket,
      ...(rule.destination.account ? { destinationAccount: rule.destination.account } : {}),
      role: replication.role,
      replicaKeys: [...new Set(replicaKeys)],
    });
  }
  return [...byDestination.values()];
};
