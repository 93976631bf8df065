/** The Organization sweep's pure parts: its events, the shards, a shard's continuation, the summary. */
import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/events/errors.js';
import {
  parseEvaluateBucketEvent,
  parseShardEvent,
  parseSummaryEvent,
  parseSweepRegions,
} from '../../../shared/events/sweep.js';
import { SweepError } from '../../../shared/model/sweep.js';
import { MAX_LISTED, summarise } from '../../../shared/triggers/sweepSummary.js';
import { MAX_SHARDS, shardsOf } from '../../../shared/triggers/sweepShards.js';

const A = '111111111111';
const B = '222222222222';

describe('the shard event', () => {
  it('is told apart from a Config rule invocation by its replguardSweep field', () => {
    const event = { replguardSweep: { version: 1, accountId: A, region: 'eu-west-1' } };
    expect(parseEvaluateBucketEvent(event)).toEqual({ kind: 'sweep', shard: event.replguardSweep });
    expect(() => parseEvaluateBucketEvent({})).toThrow(/Not an AWS Config rule invocation/);
  });

  it.each([
    [{ version: 2, accountId: A, region: 'eu-west-1' }, /version/],
    [{ version: 1, accountId: '1234', region: 'eu-west-1' }, /accountId: must be a 12-digit account id/],
    [{ version: 1, accountId: A, region: 'Europe' }, /region: must be an AWS Region/],
    [{ version: 1, accountId: A, region: 'eu-west-1', startAfter: '' }, /startAfter/],
  ])('rejects %j naming the field', (shard, problem) => {
    expect(() => parseShardEvent({ replguardSweep: shard })).toThrow(EventError);
    expect(() => parseShardEvent({ replguardSweep: shard })).toThrow(problem);
  });
});

describe('SweepRegions', () => {
  it("defaults to the function's Region and drops duplicates and blanks", () => {
    expect(parseSweepRegions('', 'us-east-1')).toEqual(['us-east-1']);
    expect(parseSweepRegions(undefined, 'us-east-1')).toEqual(['us-east-1']);
    expect(parseSweepRegions('eu-west-1, eu-west-1,,us-west-2', 'us-east-1')).toEqual([
      'eu-west-1',
      'us-west-2',
    ]);
  });

  it('names what is not a Region and what to set', () => {
    expect(() => parseSweepRegions('eu-west-1,mars', 'us-east-1')).toThrow(
      /SweepRegions.*not a Region: mars/,
    );
  });
});

describe('shardsOf', () => {
  it('pairs every account with every Region, sorted, once', () => {
    expect(shardsOf([B, A, A], ['us-west-2', 'eu-west-1'])).toEqual({
      shards: [
        { accountId: A, region: 'eu-west-1' },
        { accountId: A, region: 'us-west-2' },
        { accountId: B, region: 'eu-west-1' },
        { accountId: B, region: 'us-west-2' },
      ],
      accounts: 2,
      regions: ['eu-west-1', 'us-west-2'],
      shardCount: 4,
    });
  });

  it("refuses more shards than one execution's state carries, saying what to do", () => {
    const accounts = Array.from({ length: MAX_SHARDS + 1 }, (_, i) => String(100_000_000_000 + i));
    expect(() => shardsOf(accounts, ['us-east-1'])).toThrow(SweepError);
    expect(() => shardsOf(accounts, ['us-east-1'])).toThrow(/sweep fewer Regions/);
  });

  it('keeps the largest allowed list under the 256 KiB state quota', () => {
    const accounts = Array.from({ length: MAX_SHARDS / 4 }, (_, i) => String(100_000_000_000 + i));
    const list = shardsOf(accounts, ['ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-west-2']);
    expect(list.shardCount).toBe(MAX_SHARDS);
    expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThan(256 * 1024);
  });
});

describe('summarise', () => {
  const child = (input: unknown, output?: unknown, error?: string) => ({
    Status: error ? 'FAILED' : 'SUCCEEDED',
    Input: JSON.stringify(input),
    ...(output ? { Output: JSON.stringify(output) } : {}),
    ...(error ? { Error: error } : {}),
  });
  const shard = (accountId: string, region = 'us-east-1') => ({
    replguardSweep: { version: 1, accountId, region },
  });

  it('totals buckets, shards and unreachable accounts; counts shards never run', () => {
    const summary = summarise(4, {
      succeeded: [
        child(shard(A), {
          accountId: A,
          reachable: true,
          evaluated: 5,
          notApplicable: 2,
          failed: 1,
          edges: { written: 3, removed: 1 },
        }),
        child(shard(B), { accountId: B, reachable: false, evaluated: 0, notApplicable: 0, failed: 0 }),
      ],
      failed: [child(shard(A, 'eu-west-1'), undefined, 'ReplGuard.ShardUnfinished')],
      pendingFiles: 0,
    });
    expect(summary).toEqual({
      version: 1,
      shards: 4,
      shardsSucceeded: 2,
      shardsFailed: 1,
      shardsNotRun: 1,
      bucketsEvaluated: 5,
      bucketsNotApplicable: 2,
      bucketsFailed: 1,
      accountsUnreachable: 1,
      unreachableAccounts: [B],
      failedShards: [{ accountId: A, region: 'eu-west-1', error: 'ReplGuard.ShardUnfinished' }],
      edgesWritten: 3,
      edgesRemoved: 1,
    });
  });

  it('names at most MAX_LISTED failed shards, counting them all', () => {
    const failed = Array.from({ length: MAX_LISTED + 5 }, () =>
      child({ not: 'a shard' }, undefined, 'States.Timeout'),
    );
    const summary = summarise(failed.length, { succeeded: [], failed, pendingFiles: 0 });
    expect(summary.shardsFailed).toBe(MAX_LISTED + 5);
    expect(summary.failedShards).toHaveLength(MAX_LISTED);
    expect(summary.failedShards[0]).toEqual({ error: 'States.Timeout' });
  });
});

describe("Summarise's input", () => {
  it('needs the ResultWriterDetails of the Map run', () => {
    expect(() => parseSummaryEvent({ shards: 1, accounts: 1, results: {} })).toThrow(
      /results\.ResultWriterDetails/,
    );
  });
});
