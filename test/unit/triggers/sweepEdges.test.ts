/**
 * A shard rebuilds its part of the Organization-wide edge index only from a complete read: when a replication
 * configuration of the shard could not be read, the stored edges are kept (a rebuild would drop that source's
 * edges, and a later change in its DR account would no longer reach it).
 */
import { describe, expect, it } from 'vitest';
import { ClientFactory } from '../../../shared/aws/clientFactory.js';
import type { Shard } from '../../../shared/events/sweep.js';
import { DEFAULT_PARAMETERS } from '../../../shared/model/snapshot.js';
import type { EdgeStore } from '../../../shared/scope/edges.js';
import { rebuildEdges, shardWork } from '../../../shared/triggers/sweep.js';

const shard: Shard = { version: 1, accountId: '111111111111', region: 'us-east-1' };

/** A shard of two buckets that replicate nothing; `unreadable` of them with a configuration that could not be read. */
const built = (unreadable: number) =>
  shardWork(
    {
      collector: {
        index: async () => ({
          entries: () =>
            ['phi-a', 'phi-b'].map((bucket, i) => ({
              bucket,
              region: 'us-east-1',
              tagged: false,
              replication: i < unreadable ? undefined : null,
            })),
        }),
      } as never,
      factory: new ClientFactory({ region: 'us-east-1' }),
      parameters: DEFAULT_PARAMETERS,
      now: () => new Date('2026-12-03T00:00:00Z'),
    },
    shard,
    { reserveMs: 0, concurrency: 1 },
  );

const recordingStore = () => {
  const calls: unknown[][] = [];
  const store = {
    replaceShard: async (...args: unknown[]) => {
      calls.push(args);
      return { written: 0, removed: 0 };
    },
  } as unknown as EdgeStore;
  return { store, calls };
};

describe("a shard's edges", () => {
  it('are rebuilt from a complete read (stale sources of the shard removed)', async () => {
    const { store, calls } = recordingStore();
    const out = await rebuildEdges(store, shard, await built(0));
    expect(out.edgesSkipped).toBeUndefined();
    expect(calls).toEqual([[shard, []]]);
  });

  it('are kept when a replication configuration could not be read', async () => {
    const { store, calls } = recordingStore();
    const out = await rebuildEdges(store, shard, await built(1));
    expect(out.edgesSkipped).toBe(
      '1 replication configuration(s) could not be read: the stored edges are kept',
    );
    expect(calls).toEqual([]);
  });
});
