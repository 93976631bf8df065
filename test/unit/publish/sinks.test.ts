import { describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { findingIdOf, messageHash } from '../../../shared/findings/identity.js';
import { publishResults, readState, wantedOf, type Publisher } from '../../../shared/publish/pipeline.js';
import {
  type FindingDelivery,
  type Sink,
  sinksFor,
  type StateQuery,
  type StoredFinding,
} from '../../../shared/publish/sinks/index.js';
import { failing } from './fixtures.js';

const factory = {
  region: 'us-east-1',
  homeAccountId: async () => '111111111111',
} as unknown as ClientFactory;

describe('sinksFor (which sinks run is configuration)', () => {
  it.each([
    [{ securityHub: false }, ['configEvaluations']],
    [{ securityHub: true }, ['securityHub', 'configEvaluations']],
    [
      { securityHub: true, topicArn: 'arn:aws:sns:us-east-1:1:t' },
      ['securityHub', 'snsAlert', 'configEvaluations'],
    ],
    [
      { securityHub: true, topicArn: 'arn:aws:sns:us-east-1:1:t', chatTopicArn: 'arn:aws:sns:us-east-1:1:c' },
      ['securityHub', 'snsAlert', 'chat', 'configEvaluations'],
    ],
  ] as const)('%j → %j', (settings, names) => {
    expect(sinksFor(settings, { factory }).map((s) => s.name)).toEqual(names);
  });
});

/** A state sink over a map, failing the writes `fail` names, and an alert sink recording what it is given. */
const world = (fail: (id: string) => boolean = () => false, failAlert: () => boolean = () => false) => {
  const stored = new Map<string, StoredFinding>();
  const reads: StateQuery[] = [];
  const alerted: FindingDelivery[] = [];
  const paged: FindingDelivery[] = [];
  const sinks: Sink[] = [
    {
      name: 'state',
      role: 'state',
      read: async (query) => {
        reads.push(query);
        return new Map([...stored].filter(([id]) => query.ids.includes(id)));
      },
      deliver: async ({ items }) => {
        const written = items.filter((i) => i.write);
        for (const i of written.filter((w) => !fail(w.id)))
          stored.set(i.id, {
            previous: {
              id: i.id,
              state: 'ACTIVE',
              status: i.result.status,
              severity: i.result.severity,
              messageHash: messageHash(i.result.message),
              updatedAt: i.updatedAt,
              suppressed: false,
              ...(i.alertPending ? { alertPending: i.alertPending } : {}),
            },
            rebuild: () => i.result,
          });
        return {
          delivered: written.filter((w) => !fail(w.id)).map((w) => w.id),
          failed: written.filter((w) => fail(w.id)).map((w) => ({ id: w.id, reason: 'rejected' })),
        };
      },
    },
    {
      name: 'alerts',
      role: 'alert',
      deliver: async (delivery) => {
        alerted.push(delivery);
        if (failAlert())
          return {
            delivered: [],
            failed: delivery.items.map((i) => ({ id: `alerts:${i.id}`, reason: 'down' })),
          };
        return { delivered: delivery.items.map((i) => i.id), failed: [], messages: delivery.items.length };
      },
    },
    {
      name: 'pager',
      role: 'alert',
      deliver: async (delivery) => {
        paged.push(delivery);
        return { delivered: delivery.items.map((i) => i.id), failed: [], messages: delivery.items.length };
      },
    },
  ];
  const publisher: Publisher = { sinks, home: async () => '111111111111', region: 'us-east-1' };
  return { publisher, reads, alerted, paged, stored };
};

describe('publishResults (the pipeline over sinks)', () => {
  const a = failing({ bucket: 'phi-a' });
  const b = failing({ bucket: 'phi-b' });
  const now = new Date('2025-03-04T22:00:00Z');

  it('records before it alerts: a transition whose state write failed is not announced, and is reported', async () => {
    const w = world((id) => id === findingIdOf(b));
    const error = await publishResults(w.publisher, { results: [a, b], now }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PARTIAL_FAILURE',
      failed: [{ id: findingIdOf(b), reason: 'rejected' }],
      summary: { new: 1, imported: 1, messagesSent: 2 },
    });
    expect(w.alerted.flatMap((d) => d.items.map((i) => i.id))).toEqual([findingIdOf(a)]);
    expect(w.alerted[0]?.recorded).toBe(true);
  });

  it('announces the unrecorded transition once, when a later publish records it', async () => {
    let failing_ = true;
    const w = world((id) => failing_ && id === findingIdOf(b));
    await publishResults(w.publisher, { results: [a, b], now }).catch(() => undefined);
    failing_ = false;
    const summary = await publishResults(w.publisher, { results: [a, b], now });
    expect(summary).toMatchObject({ new: 1, unchanged: 1, messagesSent: 2 });
    expect(w.alerted.at(-1)?.items.map((i) => [i.id, i.transition])).toEqual([[findingIdOf(b), 'new']]);
  });

  it('reads the previous state once per Region, or not at all when the caller read it already', async () => {
    const w = world();
    const west = failing({ bucket: 'phi-w', region: 'us-west-2' });
    await publishResults(w.publisher, { results: [a, b, west], now });
    expect(w.reads.map((r) => [r.region, r.ids.length, r.buckets])).toEqual([
      ['us-east-1', 2, ['phi-a', 'phi-b']],
      ['us-west-2', 1, ['phi-w']],
    ]);
    const state = await readState(w.publisher, wantedOf([a, b, west]));
    const before = w.reads.length;
    expect(await publishResults(w.publisher, { results: [a, b, west], now, state })).toMatchObject({
      unchanged: 3,
    });
    expect(w.reads).toHaveLength(before);
  });

  it('records an alert that failed after its transition was recorded, and sends it next time through that sink only', async () => {
    let down = true;
    const w = world(
      () => false,
      () => down,
    );
    const error = await publishResults(w.publisher, { results: [a], now }).catch((e: unknown) => e);
    expect(error).toMatchObject({ failed: [{ id: `alerts:${findingIdOf(a)}`, reason: 'down' }] });
    expect(w.stored.get(findingIdOf(a))?.previous.alertPending).toEqual({
      transition: 'new',
      sinks: ['alerts'],
    });
    expect(w.paged.flatMap((d) => d.items.map((i) => i.id))).toEqual([findingIdOf(a)]);
    down = false;
    const summary = await publishResults(w.publisher, { results: [a], now });
    expect(summary).toMatchObject({ unchanged: 1, messagesSent: 1, failed: [] });
    expect(w.alerted.at(-1)?.items.map((i) => [i.id, i.transition])).toEqual([[findingIdOf(a), 'new']]);
    expect(w.paged.at(-1)?.items).toEqual([]); // the pager had it already
    expect(w.stored.get(findingIdOf(a))?.previous.alertPending).toBeUndefined();
    expect((await publishResults(w.publisher, { results: [a], now })).messagesSent).toBe(0);
  });

  it('without a state sink, announces every failing result as new (nothing to compare with)', async () => {
    const w = world();
    const alertsOnly = { ...w.publisher, sinks: w.publisher.sinks.filter((s) => s.role === 'alert') };
    expect(await publishResults(alertsOnly, { results: [a, b], now })).toMatchObject({
      new: 2,
      messagesSent: 4, // two findings, two alert sinks
    });
    expect(w.alerted[0]?.recorded).toBe(false);
  });
});
