import type { ReplicationFilter } from '../../model/snapshot.js';

/**
 * True when every object `inner` selects is also selected by `outer`: outer's prefix is a prefix of inner's
 * and every tag outer requires is required by inner too.
 */
export const filterCovers = (outer: ReplicationFilter, inner: ReplicationFilter): boolean =>
  (inner.prefix ?? '').startsWith(outer.prefix ?? '') &&
  (outer.tags ?? []).every((t) => (inner.tags ?? []).some((u) => u.key === t.key && u.value === t.value));

/** "prefix `logs/`", "tags a=b", "every object". */
export const describeFilter = (filter: ReplicationFilter): string => {
  const parts = [
    ...(filter.prefix ? [`prefix \`${filter.prefix}\``] : []),
    ...((filter.tags ?? []).length > 0
      ? [`tags ${(filter.tags ?? []).map((t) => `${t.key}=${t.value}`).join(', ')}`]
      : []),
  ];
  return parts.length > 0 ? parts.join(' and ') : 'every object';
};
