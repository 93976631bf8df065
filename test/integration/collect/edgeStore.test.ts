import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoEdgeStore } from '../../../shared/collect/edgeStore.js';
import { EdgeStoreError } from '../../../shared/collect/errors.js';
import type { ReplicationEdge, SourceRef } from '../../../shared/scope/edges.js';
import { testAccount } from '../../emulator/accounts.js';
import { createEdgesTable, dynamoClient } from '../../scenarios/builder/edges.js';

const endpoint = inject('emulatorEndpoint');
const CENTRAL = testAccount(import.meta.url);
const A = '210000000001';
const B = '210000000002';
const KEY_ID = '5e1f0000-0000-4000-8000-0000000000aa';

const source = (bucket: string, accountId = A, region = 'us-east-1'): SourceRef => ({
  bucket,
  accountId,
  region,
});
const edge = (src: SourceRef, destinationBucket: string, extra: Partial<ReplicationEdge> = {}) => ({
  source: src,
  destinationBucket,
  destinationAccount: B,
  role: `arn:aws:iam::${src.accountId}:role/service-role/replication`,
  replicaKeys: [`arn:aws:kms:us-west-2:${B}:key/${KEY_ID}`],
  ...extra,
});
const names = (refs: readonly SourceRef[]) => refs.map((r) => `${r.accountId}/${r.bucket}`).sort();

describe('DynamoEdgeStore (the Organization-wide edge index, against the emulator)', () => {
  const client = dynamoClient(endpoint, CENTRAL);
  let table = 0;
  /** A store over a new empty table (pages of 25 items: every Query of more than 25 paginates). */
  const freshStore = async (): Promise<DynamoEdgeStore> => {
    const name = `replguard-edges-${++table}`;
    await createEdgesTable(client, name);
    return new DynamoEdgeStore(client, name, { pageSize: 25, sleep: async () => {} });
  };
  const itemCount = async (store: DynamoEdgeStore) =>
    (await client.send(new ScanCommand({ TableName: store.table, Select: 'COUNT' }))).Count;

  let store: DynamoEdgeStore;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('finds a source by its destination, its role (any path) and its replica key id', async () => {
    const s = source('phi-prod');
    await store.putSource(s, [edge(s, 'phi-dr')]);
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-dr' })).toEqual([s]);
    expect(await store.sourcesOf({ kind: 'role', roleArn: `arn:aws:iam::${A}:role/replication` })).toEqual([
      s,
    ]);
    expect(await store.sourcesOf({ kind: 'key', keyId: KEY_ID })).toEqual([s]);
    expect(await store.sourcesOf({ kind: 'role', roleArn: `arn:aws:iam::${B}:role/replication` })).toEqual(
      [],
    );
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-prod' })).toEqual([]);
  });

  it('replaces the edges of a source: the lookups it no longer has stop finding it', async () => {
    const s = source('phi-lab');
    await store.putSource(s, [edge(s, 'phi-lab-dr')]);
    await store.putSource(s, [edge(s, 'phi-lab-dr2', { replicaKeys: [], replicaKeyIds: [] })]);
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-lab-dr' })).toEqual([]);
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-lab-dr2' })).toEqual([s]);
    expect(names(await store.sourcesOf({ kind: 'key', keyId: KEY_ID }))).toEqual([`${A}/phi-prod`]);
  });

  it('forgets a removed source, and a source written with no edges', async () => {
    const s = source('phi-gone');
    await store.putSource(s, [edge(s, 'phi-gone-dr')]);
    await store.removeSource({ bucket: 'phi-gone', accountId: A });
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-gone-dr' })).toEqual([]);
    const t = source('phi-stopped');
    await store.putSource(t, [edge(t, 'phi-stopped-dr')]);
    await store.putSource(t, []);
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'phi-stopped-dr' })).toEqual([]);
    await expect(store.removeSource({ bucket: 'never-seen', accountId: A })).resolves.toBeUndefined();
  });

  it('keeps sources of the same name in different accounts apart', async () => {
    const inA = source('shared-name', A);
    const inB = source('shared-name', B, 'eu-west-1');
    await store.putSource(inA, [edge(inA, 'shared-dr')]);
    await store.putSource(inB, [edge(inB, 'shared-dr')]);
    await store.removeSource({ bucket: 'shared-name', accountId: A });
    expect(await store.sourcesOf({ kind: 'destination', bucket: 'shared-dr' })).toEqual([inB]);
  });

  it('rebuilds a shard: writes what the sweep saw, removes the sources it did not, leaves other shards alone', async () => {
    const fresh = await freshStore();
    const kept = source('kept');
    const stale = source('stale');
    const otherRegion = source('west', A, 'us-west-2');
    for (const s of [kept, stale, otherRegion]) await fresh.putSource(s, [edge(s, 'dr-all')]);
    const added = source('added');
    const out = await fresh.replaceShard({ accountId: A, region: 'us-east-1' }, [
      { source: kept, edges: [edge(kept, 'dr-all')] },
      { source: added, edges: [edge(added, 'dr-all')] },
    ]);
    expect(out).toEqual({ written: 2, removed: 1 });
    expect(names(await fresh.sourcesOf({ kind: 'destination', bucket: 'dr-all' }))).toEqual([
      `${A}/added`,
      `${A}/kept`,
      `${A}/west`,
    ]);
    await expect(
      fresh.replaceShard({ accountId: B, region: 'us-east-1' }, [{ source: kept, edges: [] }]),
    ).rejects.toMatchObject({ code: 'INVALID_SHARD' });
  });

  it('pages through more than 100 sources of one destination, and a shard rebuild of as many', async () => {
    const fresh = await freshStore();
    const many = Array.from({ length: 130 }, (_, i) => source(`fleet-${String(i).padStart(3, '0')}`));
    const shard = { accountId: A, region: 'us-east-1' };
    expect(
      await fresh.replaceShard(
        shard,
        many.map((s) => ({ source: s, edges: [edge(s, 'fleet-dr')] })),
      ),
    ).toEqual({ written: 130, removed: 0 });
    const found = await fresh.sourcesOf({ kind: 'destination', bucket: 'fleet-dr' });
    expect(found).toHaveLength(130);
    expect(names(found)).toEqual(names(many));
    // 130 sources × (destination, role, key lookups + the source item)
    expect(await itemCount(fresh)).toBe(130 * 4);
    expect(
      await fresh.replaceShard(
        shard,
        many.slice(0, 10).map((s) => ({ source: s, edges: [edge(s, 'fleet-dr')] })),
      ),
    ).toEqual({
      written: 10,
      removed: 120,
    });
    expect(await fresh.sourcesOf({ kind: 'destination', bucket: 'fleet-dr' })).toHaveLength(10);
    expect(await itemCount(fresh)).toBe(10 * 4);
  });

  it('says which permission and table when the table cannot be read or written', async () => {
    const gone = await freshStore();
    await client.send(new DeleteTableCommand({ TableName: gone.table }));
    const read = gone.sourcesOf({ kind: 'destination', bucket: 'phi-dr' });
    await expect(read).rejects.toBeInstanceOf(EdgeStoreError);
    await expect(read).rejects.toMatchObject({
      code: 'EDGES_UNREADABLE',
      message: expect.stringMatching(new RegExp(`table ${gone.table}.*grant dynamodb:Query`)),
    });
    await expect(gone.putSource(source('x'), [])).rejects.toMatchObject({ code: 'EDGES_UNREADABLE' });
  });
});
