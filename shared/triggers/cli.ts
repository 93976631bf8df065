/**
 * The CLI's trigger: `replguard scan --bucket NAME … | --all` → the buckets to judge. Named buckets are in
 * scope whatever their tags (the operator put them there); `--all` takes every bucket of the account and
 * lets the scope decision keep the in-scope ones, so a bucket whose tags cannot be read is kept UNKNOWN,
 * never dropped.
 */
import type { Collector } from '../collect/collector.js';
import type { ScanSession } from '../collect/session.js';
import type { Target } from '../engine/judge.js';

export interface ScanRequest {
  /** Buckets named by the operator; with `all` every bucket of the account is added. */
  readonly buckets?: readonly string[];
  readonly all?: boolean;
}

/** The targets of a scan of `accountId`: the named buckets first, then (with `all`) every other bucket. */
export const scanTargets = async (
  collector: Collector,
  session: ScanSession,
  accountId: string,
  request: ScanRequest,
  now: number,
): Promise<Target[]> => {
  const named: Target[] = [...new Set(request.buckets ?? [])].map((bucket) => ({
    bucket,
    accountId,
    named: true,
  }));
  if (!request.all) return named;
  const index = await collector.index(session, accountId, now);
  const seen = new Set(named.map((t) => t.bucket));
  return [
    ...named,
    ...index
      .entries()
      .filter((e) => !seen.has(e.bucket))
      .map((e) => ({
        bucket: e.bucket,
        accountId,
        region: e.region,
        ...(e.facts ? { facts: e.facts } : {}),
      })),
  ];
};
