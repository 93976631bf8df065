/**
 * The Organization-wide index of replication edges (shared/scope/edges.ts) in Amazon DynamoDB, as an
 * adjacency list in one table (infra/stack/edges.yml):
 *
 * - one **lookup item** per (what a change can name → source): `pk` `dst#<bucket>`, `role#<account>#<name>`
 *   or `key#<keyId>`, `sk` `src#<account>#<bucket>`, with the source's bucket, account and Region, so a
 *   change is one Query (`pk = :lookup`);
 * - one **source item** per source: `pk` `src#<account>#<bucket>`, `sk` `source`, the lookup keys it wrote
 *   (to delete the stale ones when it changes or goes) and its `shard` (`<account>#<region>`), which only
 *   source items carry: the sparse index `byShard` lists a shard's sources for the sweep's rebuild.
 *
 * Writes go lookups first, then the source item (once every lookup is written), then the deletions of stale
 * lookups: an interrupted write leaves an extra lookup (one needless re-evaluation), never a missing one. Two writers of one source at
 * once: the last one wins; the sweep's rebuild of the shard removes what the other left.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import {
  type EdgeLookup,
  type EdgeStore,
  keyIdsOf,
  type ReplicationEdge,
  roleOf,
  type SourceRef,
} from '../scope/edges.js';
import { EdgeStoreError } from './errors.js';

/** The table's key schema and index (infra/stack/edges.yml declares the same; a unit test compares them). */
export const EDGES_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  shardIndex: 'byShard',
  shardKey: 'shard',
  /** What the shard index carries besides the keys: what a rebuild reads of each source. */
  shardAttributes: ['bucket', 'accountId', 'region', 'lookups'],
} as const;

const SOURCE_SK = 'source';
/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;

/** The partition key a change is looked up by. */
export const lookupKeyOf = (lookup: EdgeLookup): string => {
  if (lookup.kind === 'destination') return `dst#${lookup.bucket}`;
  if (lookup.kind === 'key') return `key#${lookup.keyId}`;
  const role = roleOf(lookup.roleArn);
  return `role#${role.accountId}#${role.name}`;
};

/** Every lookup key of a source's edges, sorted. */
export const lookupKeysOf = (edges: readonly ReplicationEdge[]): string[] =>
  [
    ...new Set(
      edges.flatMap((e) => [
        lookupKeyOf({ kind: 'destination', bucket: e.destinationBucket }),
        lookupKeyOf({ kind: 'role', roleArn: e.role }),
        ...keyIdsOf(e).map((keyId) => lookupKeyOf({ kind: 'key', keyId })),
      ]),
    ),
  ].sort();

/** The id of a source (its source item's `pk`, its lookup items' `sk`). */
export const sourceIdOf = (source: Pick<SourceRef, 'bucket' | 'accountId'>): string =>
  `src#${source.accountId}#${source.bucket}`;

export const shardOf = (shard: { readonly accountId: string; readonly region: string }): string =>
  `${shard.accountId}#${shard.region}`;

export interface EdgeStoreOptions {
  /** Items per Query page (DynamoDB's own 1 MB pages when unset; tests set it to exercise pagination). */
  readonly pageSize?: number;
  /** Attempts of a batch whose items DynamoDB leaves unprocessed (throttling). Default 8. */
  readonly maxAttempts?: number;
  /** Waits between attempts (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const s = (value: string): AttributeValue => ({ S: value });
const str = (item: Record<string, AttributeValue> | undefined, name: string): string => item?.[name]?.S ?? '';

/** The writes of one source: lookups to put, its source item (put or delete), stale lookups to delete. */
interface Changes {
  readonly puts: readonly WriteRequest[];
  readonly sourceItem: readonly WriteRequest[];
  readonly stale: readonly WriteRequest[];
}

interface StoredSource {
  readonly ref: SourceRef;
  readonly lookups: readonly string[];
}

const storedOf = (item: Record<string, AttributeValue>): StoredSource => ({
  ref: { bucket: str(item, 'bucket'), accountId: str(item, 'accountId'), region: str(item, 'region') },
  lookups: (item.lookups?.L ?? []).map((v) => v.S ?? '').filter(Boolean),
});

/** The edge store in the DynamoDB table `table` of the factory's account and Region. */
export class DynamoEdgeStore implements EdgeStore {
  readonly #client: DynamoDBClient;
  readonly #options: EdgeStoreOptions;

  constructor(
    client: DynamoDBClient,
    readonly table: string,
    options: EdgeStoreOptions = {},
  ) {
    this.#client = client;
    this.#options = options;
  }

  async sourcesOf(lookup: EdgeLookup): Promise<SourceRef[]> {
    const items = await this.#query(
      {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :src)',
        ExpressionAttributeNames: { '#pk': EDGES_TABLE.partitionKey, '#sk': EDGES_TABLE.sortKey },
        ExpressionAttributeValues: { ':pk': s(lookupKeyOf(lookup)), ':src': s('src#') },
        ConsistentRead: true,
      },
      'dynamodb:Query',
    );
    return items.map((item) => storedOf(item).ref);
  }

  async putSource(source: SourceRef, edges: readonly ReplicationEdge[]): Promise<void> {
    const previous = await this.#stored(source);
    await this.#apply([this.#changes(source, edges, previous?.lookups ?? [])]);
  }

  async removeSource(source: Pick<SourceRef, 'bucket' | 'accountId'>): Promise<void> {
    const previous = await this.#stored(source);
    if (previous) await this.#apply([this.#changes(previous.ref, [], previous.lookups)]);
  }

  async replaceShard(
    shard: { readonly accountId: string; readonly region: string },
    sources: readonly { readonly source: SourceRef; readonly edges: readonly ReplicationEdge[] }[],
  ): Promise<{ readonly written: number; readonly removed: number }> {
    const foreign = sources.find(
      (x) => x.source.accountId !== shard.accountId || x.source.region !== shard.region,
    );
    if (foreign)
      throw new EdgeStoreError(
        `Source ${foreign.source.bucket} (${shardOf(foreign.source)}) is not in shard ${shardOf(shard)}: rebuild each shard with its own sources`,
        'INVALID_SHARD',
      );
    const held = new Map(
      (
        await this.#query(
          {
            IndexName: EDGES_TABLE.shardIndex,
            KeyConditionExpression: '#shard = :shard',
            ExpressionAttributeNames: { '#shard': EDGES_TABLE.shardKey },
            ExpressionAttributeValues: { ':shard': s(shardOf(shard)) },
          },
          'dynamodb:Query',
        )
      ).map((item) => [str(item, EDGES_TABLE.partitionKey), storedOf(item)]),
    );
    const changes: Changes[] = [];
    let written = 0;
    let removed = 0;
    for (const { source, edges } of sources) {
      const id = sourceIdOf(source);
      // The index is eventually consistent: a source written a moment ago is read from the table itself.
      const previous = held.get(id) ?? (await this.#stored(source));
      held.delete(id);
      changes.push(this.#changes(source, edges, previous?.lookups ?? []));
      if (edges.length > 0) written++;
      else if (previous) removed++;
    }
    for (const stale of held.values()) {
      changes.push(this.#changes(stale.ref, [], stale.lookups));
      removed++;
    }
    await this.#apply(changes);
    return { written, removed };
  }

  /** The writes that turn a source's stored lookups `previous` into those of `edges` (none: it goes). */
  #changes(source: SourceRef, edges: readonly ReplicationEdge[], previous: readonly string[]): Changes {
    const id = sourceIdOf(source);
    const next = edges.length > 0 ? lookupKeysOf(edges) : [];
    const ref = { bucket: s(source.bucket), accountId: s(source.accountId), region: s(source.region) };
    const key = (pk: string, sk: string) => ({
      [EDGES_TABLE.partitionKey]: s(pk),
      [EDGES_TABLE.sortKey]: s(sk),
    });
    // A lookup the source item already lists was written before it (lookups are written first, the source item only
    // once they all were): only new ones are put.
    const puts: WriteRequest[] = next
      .filter((lookup) => !previous.includes(lookup))
      .map((lookup) => ({ PutRequest: { Item: { ...key(lookup, id), ...ref } } }));
    const sourceItem: WriteRequest[] =
      next.length > 0
        ? [
            {
              PutRequest: {
                Item: {
                  ...key(id, SOURCE_SK),
                  ...ref,
                  [EDGES_TABLE.shardKey]: s(shardOf(source)),
                  lookups: { L: next.map(s) },
                  edges: s(JSON.stringify(edges.map(({ source: _, ...edge }) => edge))),
                },
              },
            },
          ]
        : previous.length > 0
          ? [{ DeleteRequest: { Key: key(id, SOURCE_SK) } }]
          : [];
    const stale = previous
      .filter((lookup) => !next.includes(lookup))
      .map((lookup): WriteRequest => ({ DeleteRequest: { Key: key(lookup, id) } }));
    return { puts, sourceItem, stale };
  }

  async #stored(source: Pick<SourceRef, 'bucket' | 'accountId'>): Promise<StoredSource | undefined> {
    try {
      const out = await this.#client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { [EDGES_TABLE.partitionKey]: s(sourceIdOf(source)), [EDGES_TABLE.sortKey]: s(SOURCE_SK) },
          ConsistentRead: true,
        }),
      );
      return out.Item ? storedOf(out.Item) : undefined;
    } catch (cause) {
      throw this.#error('dynamodb:GetItem', 'EDGES_UNREADABLE', cause);
    }
  }

  async #query(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    permission: string,
  ): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    try {
      do {
        const page = await this.#client.send(
          new QueryCommand({
            ...input,
            TableName: this.table,
            ...(this.#options.pageSize ? { Limit: this.#options.pageSize } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (cause) {
      throw this.#error(permission, 'EDGES_UNREADABLE', cause);
    }
    return items;
  }

  /**
   * Writes in three phases, each complete before the next: new lookups, then source items (so a source item
   * never lists a lookup that was not written), then the deletions of stale lookups.
   */
  async #apply(changes: readonly Changes[]): Promise<void> {
    await this.#write(changes.flatMap((c) => c.puts));
    await this.#write(changes.flatMap((c) => c.sourceItem));
    await this.#write(changes.flatMap((c) => c.stale));
  }

  /** BatchWriteItem in order, 25 at a time, retrying what DynamoDB leaves unprocessed with backoff. */
  async #write(requests: readonly WriteRequest[]): Promise<void> {
    const attempts = this.#options.maxAttempts ?? 8;
    const sleep = this.#options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    for (let i = 0; i < requests.length; i += BATCH_SIZE) {
      let pending: WriteRequest[] = requests.slice(i, i + BATCH_SIZE);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > attempts)
          throw new EdgeStoreError(
            `DynamoDB left ${pending.length} writes to table ${this.table} unprocessed after ${attempts} attempts (throttled): the edge index is incomplete until the next write or sweep`,
            'EDGES_UNWRITABLE',
          );
        if (attempt > 1) await sleep(Math.min(2_000, 50 * 2 ** (attempt - 2)));
        try {
          const out = await this.#client.send(
            new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }),
          );
          pending = out.UnprocessedItems?.[this.table] ?? [];
        } catch (cause) {
          throw this.#error('dynamodb:BatchWriteItem', 'EDGES_UNWRITABLE', cause);
        }
      }
    }
  }

  #error(permission: string, code: 'EDGES_UNREADABLE' | 'EDGES_UNWRITABLE', cause: unknown): EdgeStoreError {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return new EdgeStoreError(
      `The replication edge index (DynamoDB table ${this.table}) could not be ${code === 'EDGES_UNREADABLE' ? 'read' : 'written'} (${why}): grant ${permission} on the table and its indexes to the function's role, and check REPLGUARD_EDGES_TABLE`,
      code,
      { cause },
    );
  }
}

/** The edge store of a deployment: table `table` in the factory's (the central) account and Region. */
export const dynamoEdgeStore = (
  factory: ClientFactory,
  table: string,
  options: EdgeStoreOptions = {},
): DynamoEdgeStore => new DynamoEdgeStore(factory.client(DynamoDBClient, ServiceId.DynamoDB), table, options);
