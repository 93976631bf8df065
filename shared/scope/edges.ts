/**
 * The Organization-wide index of replication edges: which source bucket (account, Region) replicates into
 * which destination bucket (account), with which role and which replica keys. A change in any account looks
 * up the sources it affects here, in whichever account they are (a destination's bucket policy or key in a
 * DR account re-evaluates the sources in other accounts). Pure: the store (shared/collect/edgeStore.ts,
 * Amazon DynamoDB) keeps what these functions produce.
 */
import { keyIdOf, type ReplicationConfiguration } from '../model/snapshot.js';
import type { KeyResolver } from './replicationIndex.js';

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
  /**
   * The replica keys' ids, resolved by the writer ({@link withKeyIds}): what key changes are looked up by.
   * Absent: derived from `replicaKeys` (key ARNs and bare ids only; an alias cannot be looked up by key id).
   */
  readonly replicaKeyIds?: readonly string[];
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

const isAlias = (ref: string): boolean => ref.startsWith('alias/') || ref.includes(':alias/');

/** The Region and account an ARN names, if `ref` is one. */
const arnPlace = (ref: string): { region: string; accountId: string } | undefined => {
  const [, , , region, accountId] = ref.split(':');
  return ref.startsWith('arn:') && region && accountId ? { region, accountId } : undefined;
};

/** The key ids of an edge's replica keys: the resolved ones, else those a reference spells (not aliases). */
export const keyIdsOf = (edge: ReplicationEdge): string[] =>
  [...new Set(edge.replicaKeyIds ?? edge.replicaKeys.filter((k) => !isAlias(k)).map(keyIdOf))].sort();

/**
 * Edges with their replica keys resolved to key ids, so a change of the key (PutKeyPolicy, DisableKey, which
 * name the key id) finds the sources. Key ARNs and bare ids need no call; aliases are resolved by `resolve`
 * (DescribeKey where the alias lives: the alias ARN's Region and account, else the destination account in the
 * source's Region, since a bare alias name does not say which Region the destination is in). What cannot be
 * resolved (an alias in an account the member role cannot enter, a deleted alias, a bare alias name of a
 * destination in another Region) is left out of the key lookups: the destination and role lookups still find
 * the source, and the sweep writes the edge again once it resolves. An alias re-pointed later (UpdateAlias, not
 * a watched call) keeps its old key id until the next write of the source.
 */
export const withKeyIds = async (
  edges: readonly ReplicationEdge[],
  resolve: KeyResolver,
): Promise<ReplicationEdge[]> =>
  Promise.all(
    edges.map(async (edge) => {
      const ids = await Promise.all(
        edge.replicaKeys.map(async (ref) => {
          if (!isAlias(ref)) return keyIdOf(ref);
          const place = arnPlace(ref) ?? {
            region: edge.source.region,
            accountId: edge.destinationAccount ?? edge.source.accountId,
          };
          return resolve({ ref, ...place }).catch(() => undefined);
        }),
      );
      return { ...edge, replicaKeyIds: [...new Set(ids.filter((id): id is string => !!id))].sort() };
    }),
  );

/** The account and name of a role ARN (`arn:aws:iam::111111111111:role/path/name`); the path is not kept. */
export const roleOf = (roleArn: string): { accountId: string; name: string } => ({
  accountId: roleArn.split(':')[4] ?? '',
  name: roleArn.split('/').pop() ?? roleArn,
});
