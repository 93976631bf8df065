import { describe, expect, it } from 'vitest';
import { ScanSession } from '../../../shared/collect/session.js';
import { EdgeStoreError } from '../../../shared/collect/errors.js';
import { parseApiCallEvent } from '../../../shared/events/cloudTrail.js';
import type { EdgeLookup, EdgeStore, ReplicationEdge, SourceRef } from '../../../shared/scope/edges.js';
import { type BucketEntry, ReplicationIndex } from '../../../shared/scope/replicationIndex.js';
import { affectedBuckets, edgeIndexFailure, edgeIndexUse } from '../../../shared/triggers/cloudTrail.js';
import { lookupKeyOf } from '../../../shared/collect/edgeStore.js';
import { FIXTURE_ACCOUNT, loadEvent, rewrite } from '../../fixtures/events/index.js';
import { fakeFactory } from '../handlers/fakes.js';

const A = FIXTURE_ACCOUNT;
const OTHER = '999999999999';
const KEY_ID = '1111aaaa-0000-4000-8000-000000000001';

/** The store's contract in memory (lookup key → sources), recording writes; `fail` makes it unreadable. */
const memoryStore = (fail?: 'read' | 'write') => {
  const byLookup = new Map<string, SourceRef[]>();
  const writes: string[] = [];
  const keysOf = (edges: readonly ReplicationEdge[]) =>
    edges.flatMap((e) => [
      lookupKeyOf({ kind: 'destination', bucket: e.destinationBucket }),
      ...(e.replicaKeyIds ?? []).map((keyId) => lookupKeyOf({ kind: 'key', keyId })),
    ]);
  const denied = () => new EdgeStoreError('table unreadable: grant dynamodb:Query', 'EDGES_UNREADABLE');
  const store: EdgeStore = {
    sourcesOf: async (lookup: EdgeLookup) => {
      if (fail === 'read') throw denied();
      return byLookup.get(lookupKeyOf(lookup)) ?? [];
    },
    putSource: async (source, edges) => {
      if (fail === 'write') throw new EdgeStoreError('throttled', 'EDGES_UNWRITABLE');
      writes.push(`put ${source.accountId}/${source.bucket} ${keysOf(edges).join(',')}`);
    },
    removeSource: async (source) => {
      if (fail === 'write') throw new EdgeStoreError('throttled', 'EDGES_UNWRITABLE');
      writes.push(`remove ${source.accountId}/${source.bucket}`);
    },
    replaceShard: async () => ({ written: 0, removed: 0 }),
  };
  return { store, writes, byLookup };
};

const entries: BucketEntry[] = [
  {
    bucket: 'phi-prod',
    region: 'us-east-1',
    tagged: true,
    replication: {
      role: `arn:aws:iam::${A}:role/phi-replication`,
      rules: [
        {
          id: 'r',
          status: 'Enabled',
          filter: {},
          destination: {
            bucket: 'phi-dr',
            bucketArn: 'arn:aws:s3:::phi-dr',
            account: OTHER,
            replicaKmsKeyId: `arn:aws:kms:us-west-2:${OTHER}:key/${KEY_ID}`,
          },
        },
      ],
    },
  },
];

const use = async (event: unknown, store: EdgeStore, index = new ReplicationIndex(A, entries, 0)) => {
  const session = new ScanSession(fakeFactory());
  const call = parseApiCallEvent(event);
  const { lookups } = await affectedBuckets(session, index, call);
  return { lookups, used: await edgeIndexUse(store, session, index, call, lookups) };
};

describe('the edge index in the CloudTrail trigger', () => {
  it('looks a bucket call up by destination, a key call by key id, a role call by the role in the event account', async () => {
    const { store } = memoryStore();
    expect((await use(loadEvent('cloudtrail', 's3-put-bucket-versioning'), store)).lookups).toEqual([
      { kind: 'destination', bucket: 'phi-dr' },
    ]);
    expect((await use(loadEvent('cloudtrail', 'kms-disable-key'), store)).lookups).toEqual([
      { kind: 'key', keyId: KEY_ID },
    ]);
    expect((await use(loadEvent('cloudtrail', 'iam-put-role-policy'), store)).lookups).toEqual([
      { kind: 'role', roleArn: `arn:aws:iam::${A}:role/phi-replication` },
    ]);
  });

  it('gives the sources the index names, in any account, once each', async () => {
    const { store, byLookup } = memoryStore();
    const elsewhere = { bucket: 'lab-src', accountId: OTHER, region: 'eu-west-1' };
    byLookup.set('dst#phi-dr', [elsewhere, elsewhere]);
    const event = rewrite(loadEvent('cloudtrail', 's3-put-bucket-versioning'), { [A]: OTHER });
    expect((await use(event, store)).used).toEqual({ sources: [elsewhere] });
  });

  it('records the edges of a source whose replication was put, with key ids, and forgets a deleted one', async () => {
    const { store, writes } = memoryStore();
    await use(loadEvent('cloudtrail', 's3-put-bucket-replication'), store);
    await use(
      rewrite(loadEvent('cloudtrail', 's3-put-bucket-replication'), {
        PutBucketReplication: 'DeleteBucketReplication',
      }),
      store,
    );
    await use(loadEvent('cloudtrail', 's3-delete-bucket'), store);
    expect(writes).toEqual([
      `put ${A}/phi-prod dst#phi-dr,key#${KEY_ID}`,
      `remove ${A}/phi-prod`,
      `remove ${A}/phi-dr`,
    ]);
  });

  it('never drops a failure silently: unreadable, the lookup gives nothing and says why; the handler then fails', async () => {
    const { store } = memoryStore('read');
    const built = await use(loadEvent('cloudtrail', 's3-put-bucket-versioning'), store);
    expect(built.used).toMatchObject({ sources: [], failed: { code: 'EDGES_UNREADABLE' } });
    expect(edgeIndexFailure({ edges: built.used })).toMatchObject({
      name: 'EdgeStoreError',
      code: 'EDGES_UNREADABLE',
      message: expect.stringContaining("Only the event account's own replication index was used"),
    });
    expect(edgeIndexFailure({ edges: { sources: [] } })).toBeUndefined();
    expect(edgeIndexFailure({})).toBeUndefined();
  });

  it('still looks the call up when recording its edges failed, and reports the write failure', async () => {
    const { store } = memoryStore('write');
    const built = await use(loadEvent('cloudtrail', 's3-put-bucket-replication'), store);
    expect(built.used).toMatchObject({ sources: [], failed: { code: 'EDGES_UNWRITABLE' } });
  });
});
