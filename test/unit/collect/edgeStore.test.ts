import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DynamoEdgeStore,
  EDGES_TABLE,
  lookupKeyOf,
  lookupKeysOf,
} from '../../../shared/collect/edgeStore.js';
import { edgesOf, keyIdsOf, roleOf, withKeyIds } from '../../../shared/scope/edges.js';
import type { ReplicationConfiguration } from '../../../shared/model/snapshot.js';
import { infraTemplate, type Json } from '../infra/cfn.js';

const A = '111111111111';
const B = '222222222222';
const KEY = '1111aaaa-0000-4000-8000-000000000001';
const source = { bucket: 'phi-prod', accountId: A, region: 'us-east-1' };
const rule = (bucket: string, replicaKmsKeyId?: string) => ({
  id: bucket,
  status: 'Enabled' as const,
  filter: {},
  destination: {
    bucketArn: `arn:aws:s3:::${bucket}`,
    bucket,
    account: B,
    ...(replicaKmsKeyId ? { replicaKmsKeyId } : {}),
  },
});
const replication = (...rules: ReturnType<typeof rule>[]): ReplicationConfiguration => ({
  role: `arn:aws:iam::${A}:role/service-role/phi-replication`,
  rules,
});

describe('lookup keys of the edge index', () => {
  it('looks a change up by destination bucket, role (account and name, not path) and key id', () => {
    expect(lookupKeyOf({ kind: 'destination', bucket: 'phi-dr' })).toBe('dst#phi-dr');
    expect(lookupKeyOf({ kind: 'role', roleArn: `arn:aws:iam::${A}:role/a/b/phi-replication` })).toBe(
      `role#${A}#phi-replication`,
    );
    expect(lookupKeyOf({ kind: 'key', keyId: KEY })).toBe(`key#${KEY}`);
    expect(roleOf(`arn:aws:iam::${A}:role/phi-replication`)).toEqual({
      accountId: A,
      name: 'phi-replication',
    });
  });

  it('indexes every destination of a source once, its role once, and the replica key ids it spells', () => {
    const edges = edgesOf(
      source,
      replication(
        rule('phi-dr', `arn:aws:kms:us-west-2:${B}:key/${KEY}`),
        rule('phi-dr2', 'alias/phi-replica'),
      ),
    );
    expect(lookupKeysOf(edges)).toEqual([
      'dst#phi-dr',
      'dst#phi-dr2',
      `key#${KEY}`,
      `role#${A}#phi-replication`,
    ]);
    expect(lookupKeysOf(edgesOf(source, null))).toEqual([]);
  });
});

describe('withKeyIds (replica keys resolved by the writer)', () => {
  it('takes key ARNs and bare ids as they are and resolves aliases where they live', async () => {
    const asked: unknown[] = [];
    const edges = edgesOf(
      source,
      replication(
        rule('d1', `arn:aws:kms:us-west-2:${B}:key/${KEY}`),
        rule('d2', `arn:aws:kms:eu-west-1:${B}:alias/phi-replica`),
        rule('d3', 'alias/bare-name'),
        rule('d4', 'alias/deleted'),
      ),
    );
    const resolved = await withKeyIds(edges, async (use) => {
      asked.push(use);
      if (use.ref.endsWith('phi-replica')) return 'resolved-id';
      if (use.ref === 'alias/bare-name') return 'bare-id';
      throw new Error('AccessDenied');
    });
    expect(resolved.map(keyIdsOf)).toEqual([[KEY], ['resolved-id'], ['bare-id'], []]);
    expect(asked).toEqual([
      { ref: `arn:aws:kms:eu-west-1:${B}:alias/phi-replica`, region: 'eu-west-1', accountId: B },
      { ref: 'alias/bare-name', region: 'us-east-1', accountId: B },
      { ref: 'alias/deleted', region: 'us-east-1', accountId: B },
    ]);
  });

  it('without resolution, an alias is not a key lookup (destination and role still find the source)', () => {
    const [edge] = edgesOf(source, replication(rule('d', 'alias/x')));
    expect(keyIdsOf(edge!)).toEqual([]);
    expect(lookupKeysOf([edge!])).toEqual(['dst#d', `role#${A}#phi-replication`]);
  });
});

/** A DynamoDB client that leaves items unprocessed (throttling, which the emulator never does). */
const throttlingClient = (unprocessedRounds: number) => {
  const batches: number[] = [];
  let left = unprocessedRounds;
  const client = {
    send: async (command: { input: Json; constructor: { name: string } }) => {
      if (command.constructor.name === 'GetItemCommand') return {};
      const requests = command.input.RequestItems.edges as WriteRequest[];
      batches.push(requests.length);
      if (left-- > 0) return { UnprocessedItems: { edges: requests.slice(0, 1) } };
      return { UnprocessedItems: {} };
    },
  };
  return { client: client as unknown as DynamoDBClient, batches };
};

describe('DynamoEdgeStore writes', () => {
  const edges = edgesOf(source, replication(rule('phi-dr', `arn:aws:kms:us-west-2:${B}:key/${KEY}`)));

  it('retries what DynamoDB leaves unprocessed, with backoff', async () => {
    const { client, batches } = throttlingClient(2);
    const waits: number[] = [];
    const store = new DynamoEdgeStore(client, 'edges', { sleep: async (ms) => void waits.push(ms) });
    await store.putSource(source, edges);
    // the 3 lookups (one left unprocessed twice), then the source item once they are all written
    expect(batches).toEqual([3, 1, 1, 1]);
    expect(waits).toEqual([50, 100]);
  });

  it('gives up after its attempts, saying the index is incomplete', async () => {
    const { client } = throttlingClient(10);
    const store = new DynamoEdgeStore(client, 'edges', { maxAttempts: 3, sleep: async () => {} });
    await expect(store.putSource(source, edges)).rejects.toMatchObject({
      name: 'EdgeStoreError',
      code: 'EDGES_UNWRITABLE',
      message: expect.stringContaining('unprocessed after 3 attempts'),
    });
  });
});

describe('infra/stack/edges.yml', () => {
  const { Resources } = infraTemplate(join('stack', 'edges.yml'));
  const table = Resources.EdgesTable as Json;

  it('is an on-demand table with the key schema and shard index the store uses', () => {
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([
      { AttributeName: EDGES_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: EDGES_TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: EDGES_TABLE.shardIndex,
        KeySchema: [
          { AttributeName: EDGES_TABLE.shardKey, KeyType: 'HASH' },
          { AttributeName: EDGES_TABLE.partitionKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...EDGES_TABLE.shardAttributes] },
      },
    ]);
  });

  it('is encrypted with the stack key, recoverable to a point in time, and deleted with the stack (the sweep rebuilds it)', () => {
    expect(table.Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': ['ReplGuardKey', 'Arn'] },
    });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    // derived data, encrypted with the stack's key: it goes with the stack rather than outlive its key
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.UpdateReplacePolicy).toBe('Delete');
  });

  it('is read and written by onConfigChange and evaluateBucket only, through DynamoDB only for the key', () => {
    const roles = infraTemplate(join('stack', 'roles.yml')).Resources;
    const using = Object.entries(roles)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .filter(([, r]) => JSON.stringify(r.Properties.Policies).includes('EdgesTable'))
      .map(([name]) => name);
    expect(using.sort()).toEqual(['EvaluateBucketRole', 'OnConfigChangeRole']);
    for (const name of using) {
      const statements = (roles[name]!.Properties.Policies as Json[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      );
      const key = statements.find((s: Json) => s.Sid === 'EdgeIndexKey');
      expect(key.Condition.StringEquals['kms:ViaService']).toEqual({
        'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com',
      });
    }
  });
});
