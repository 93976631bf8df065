/**
 * The previous state and the state sink per account and Region: a central deployment's findings are grouped by
 * the account that owns their source bucket, read once per account and Region, recorded there; a member account
 * that refuses fails its own findings with the fix and holds back no other account.
 */
import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { PublishError, PublishErrorCode } from '../../../shared/publish/errors.js';
import { securityHubFindingLink } from '../../../shared/publish/links.js';
import { publishResults, type Publisher } from '../../../shared/publish/pipeline.js';
import type { FindingDelivery, Sink, StateQuery } from '../../../shared/publish/sinks/index.js';
import { failing } from './fixtures.js';

const HOME = '111111111111';
const MEMBER = '333333333333';
const now = new Date('2026-03-04T22:00:00Z');

/** A state sink that stores nothing and refuses the accounts `refuses` names, and an alert sink. */
const world = (refuses: { read?: string; write?: string } = {}) => {
  const reads: StateQuery[] = [];
  const recorded: FindingDelivery[] = [];
  const alerted: FindingDelivery[] = [];
  const refusal = (account: string) =>
    new PublishError(
      `Not allowed in account ${account}: update the member template`,
      PublishErrorCode.AccessDenied,
    );
  const sinks: Sink[] = [
    {
      name: 'state',
      role: 'state',
      read: async (query) => {
        reads.push(query);
        if (refuses.read === (query.accountId ?? query.home)) throw refusal(refuses.read);
        return new Map();
      },
      deliver: async (delivery) => {
        if (refuses.write === (delivery.accountId ?? delivery.home)) throw refusal(refuses.write);
        recorded.push(delivery);
        const written = delivery.items.filter((i) => i.write).map((i) => i.id);
        return { delivered: written, failed: [] };
      },
    },
    {
      name: 'alerts',
      role: 'alert',
      deliver: async (delivery) => {
        alerted.push(delivery);
        return { delivered: delivery.items.map((i) => i.id), failed: [], messages: delivery.items.length };
      },
    },
  ];
  const publisher: Publisher = { sinks, home: async () => HOME, region: 'us-east-1' };
  return { publisher, reads, recorded, alerted };
};

const own = failing({ accountId: HOME, bucket: 'phi-own' });
const theirs = failing({ accountId: MEMBER, bucket: 'phi-member' });
const theirsToo = failing({ accountId: MEMBER, bucket: 'phi-member-2' });
const theirsWest = failing({ accountId: MEMBER, bucket: 'phi-member-w', region: 'us-west-2' });

describe('previous state and state sink per account and Region', () => {
  it('reads once per account and Region, and records each group in its own account', async () => {
    const w = world();
    await publishResults(w.publisher, { results: [own, theirs, theirsToo, theirsWest], now });
    expect(w.reads.map((r) => [r.accountId, r.region, r.buckets])).toEqual([
      [HOME, 'us-east-1', ['phi-own']],
      [MEMBER, 'us-east-1', ['phi-member', 'phi-member-2']],
      [MEMBER, 'us-west-2', ['phi-member-w']],
    ]);
    expect(w.recorded.map((d) => [d.accountId, d.region, d.home, d.items.length])).toEqual([
      [HOME, 'us-east-1', HOME, 1],
      [MEMBER, 'us-east-1', HOME, 2],
      [MEMBER, 'us-west-2', HOME, 1],
    ]);
  });

  it("fails a member's findings with its reason when its state cannot be read, and publishes the others", async () => {
    const w = world({ read: MEMBER });
    const error = await publishResults(w.publisher, { results: [own, theirs], now }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PARTIAL_FAILURE',
      failed: [{ id: findingIdOf(theirs), reason: expect.stringContaining(`account ${MEMBER}`) }],
      summary: { new: 1, imported: 1, messagesSent: 1 },
    });
    expect(w.recorded.map((d) => d.accountId)).toEqual([HOME]);
    expect(w.alerted.flatMap((d) => d.items.map((i) => i.id))).toEqual([findingIdOf(own)]);
  });

  it("fails a member's findings when its import is refused, and announces none of them", async () => {
    const w = world({ write: MEMBER });
    const error = await publishResults(w.publisher, { results: [own, theirs], now }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PARTIAL_FAILURE',
      failed: [{ id: findingIdOf(theirs), reason: expect.stringContaining('member template') }],
    });
    expect(w.alerted.flatMap((d) => d.items.map((i) => i.id))).toEqual([findingIdOf(own)]);
  });

  it("still stops at once when ReplGuard's own account refuses (as before)", async () => {
    const w = world({ read: HOME });
    await expect(publishResults(w.publisher, { results: [own, theirs], now })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    expect(w.recorded).toEqual([]);
  });
});

describe('securityHubFindingLink', () => {
  it("filters on the id alone for ReplGuard's own findings, and on the account too for another account's", () => {
    const id = 'replguard/versioning_destination_enabled/phi-prod/0123';
    const base = securityHubFindingLink(id, 'us-east-1');
    expect(base).toBe(
      'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253Areplguard%252Fversioning_destination_enabled%252Fphi-prod%252F0123',
    );
    expect(securityHubFindingLink(id, 'us-east-1', MEMBER)).toBe(
      `${base}%26AwsAccountId%3D%255Coperator%255C%253AEQUALS%255C%253A${MEMBER}`,
    );
  });
});
