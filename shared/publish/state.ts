/**
 * The previous state of findings, read once per run from the state sink: per account and Region of the
 * findings (the source buckets' owner, where the state sink records them; a member account through its role).
 */
import { findingIdOf } from '../findings/identity.js';
import type { ResolveScope } from '../findings/lifecycle.js';
import type { RuleResult } from '../model/result.js';
import { PublishError } from './errors.js';
import type { Publisher } from './pipeline.js';
import { isStateSink, type StoredFinding } from './sinks/index.js';

/**
 * Stored findings per account and Region of the findings (key {@link stateKey}), read once per run (see
 * {@link readState}). `unreadable` names the groups whose state could not be read (a member account whose role
 * or Security Hub is missing), with the reason: their findings are reported failed, never published blind.
 */
export type PreviousState = ReadonlyMap<string, ReadonlyMap<string, StoredFinding>> & {
  readonly unreadable?: ReadonlyMap<string, string>;
};

/** The key of one account and Region in a {@link PreviousState}. */
export const stateKey = (accountId: string, region: string): string => `${accountId}/${region}`;

/** The account and Region of a {@link stateKey}. */
export const placeOf = (key: string): { accountId: string; region: string } => {
  const [accountId = '', region = ''] = key.split('/');
  return { accountId, region };
};

/**
 * What the previous state is read for: one finding per result, with its source bucket, account and Region; an
 * entry without `id` only adds a bucket (of a resolve scope) to the account and Region it is read in.
 */
export interface Wanted {
  readonly id?: string;
  readonly bucket: string;
  readonly accountId: string;
  readonly region: string;
}

const groupsOf = (wanted: readonly Wanted[], home: string, fallback?: string): Map<string, Wanted[]> => {
  const groups = new Map<string, Wanted[]>();
  for (const w of wanted) {
    const key = stateKey(w.accountId || home, w.region);
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  if (groups.size === 0 && fallback !== undefined) groups.set(fallback, []);
  return groups;
};

/** A state-sink failure of another account than ReplGuard's own: reported per finding, not fatal to the run. */
export const memberFailure = (error: unknown, accountId: string, home: string): string | undefined =>
  accountId !== home && error instanceof PublishError ? error.message : undefined;

/**
 * Reads the stored findings of `wanted` (ids with their source bucket, account and Region) and the ACTIVE ones
 * in `scope`, once per account and Region; empty when no state sink is configured. A member account whose
 * state cannot be read is listed in `unreadable`; ReplGuard's own account failing throws.
 */
export const readState = async (
  publisher: Publisher,
  wanted: readonly Wanted[],
  scope?: ResolveScope,
  watch?: ResolveScope,
): Promise<PreviousState> => {
  const state = publisher.sinks.find(isStateSink);
  const out = new Map<string, ReadonlyMap<string, StoredFinding>>();
  const unreadable = new Map<string, string>();
  if (!state) return Object.assign(out, { unreadable });
  const home = await publisher.home();
  const fallback = scope !== undefined ? stateKey(home, publisher.region) : undefined;
  for (const [key, group] of groupsOf(wanted, home, fallback)) {
    const { accountId, region } = placeOf(key);
    const ids = [...new Set(group.flatMap((w) => (w.id === undefined ? [] : [w.id])))];
    const buckets = [...new Set(group.map((w) => w.bucket))];
    try {
      out.set(
        key,
        await state.read({
          region,
          home,
          accountId,
          ids,
          buckets,
          ...(scope ? { scope } : {}),
          ...(watch ? { watch } : {}),
        }),
      );
    } catch (error) {
      const reason = memberFailure(error, accountId, home);
      if (reason === undefined) throw error;
      unreadable.set(key, reason);
    }
  }
  return Object.assign(out, { unreadable });
};

/** The finding id, source bucket, account and Region of each result. */
export const wantedOf = (results: readonly RuleResult[]): Wanted[] =>
  results.map((r) => ({ id: findingIdOf(r), bucket: r.bucket, accountId: r.accountId, region: r.region }));
