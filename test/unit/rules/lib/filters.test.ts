import { describe, expect, it } from 'vitest';
import type { ReplicationFilter } from '../../../../shared/model/snapshot.js';
import { describeFilter, filterCovers } from '../../../../shared/rules/lib/filters.js';

const tag = (key: string, value: string) => ({ key, value });

describe('filterCovers', () => {
  it.each<[string, ReplicationFilter, ReplicationFilter, boolean]>([
    ['everything covers a prefix', {}, { prefix: 'a/' }, true],
    ['a shorter prefix covers a longer one', { prefix: 'a/' }, { prefix: 'a/b/' }, true],
    ['a longer prefix does not cover a shorter one', { prefix: 'a/b/' }, { prefix: 'a/' }, false],
    ['a sibling prefix does not cover', { prefix: 'b/' }, { prefix: 'a/' }, false],
    [
      'a tag filter covers the same tag plus more',
      { tags: [tag('k', 'v')] },
      { tags: [tag('k', 'v'), tag('x', 'y')] },
      true,
    ],
    ['a tag filter does not cover untagged objects', { tags: [tag('k', 'v')] }, {}, false],
    [
      'a tag filter does not cover another value',
      { tags: [tag('k', 'v')] },
      { tags: [tag('k', 'w')] },
      false,
    ],
  ])('%s', (_what, outer, inner, expected) => {
    expect(filterCovers(outer, inner)).toBe(expected);
  });
});

describe('describeFilter', () => {
  it.each<[ReplicationFilter, string]>([
    [{}, 'every object'],
    [{ prefix: '' }, 'every object'],
    [{ prefix: 'a/', tags: [tag('k', 'v')] }, 'prefix `a/` and tags k=v'],
  ])('%o → %s', (filter, text) => {
    expect(describeFilter(filter)).toBe(text);
  });
});
