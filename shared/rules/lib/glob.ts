/**
 * IAM-style wildcard matching (`*` any run of characters, `?` one character), with the question
 * "does this pattern match every string that starts with a prefix", which Resource coverage needs.
 */

/** Pattern positions reachable after consuming `text` (`*` may absorb nothing). */
const statesAfter = (pattern: string, text: string): Set<number> => {
  const close = (states: Set<number>): Set<number> => {
    for (const j of [...states]) {
      let k = j;
      while (pattern[k] === '*') states.add(++k);
    }
    return states;
  };
  let states = close(new Set([0]));
  for (const ch of text) {
    const next = new Set<number>();
    for (const j of states) {
      const p = pattern[j];
      if (p === '*') next.add(j);
      else if (p === '?' || p === ch) next.add(j + 1);
    }
    states = close(next);
    if (states.size === 0) break;
  }
  return states;
};

/** True when `pattern` matches all of `text`. */
export const globMatches = (pattern: string, text: string): boolean =>
  statesAfter(pattern, text).has(pattern.length);

/** True when `pattern` matches every string starting with `prefix` (e.g. all objects of a bucket). */
export const globCoversPrefix = (pattern: string, prefix: string): boolean =>
  [...statesAfter(pattern, prefix)].some((j) => /^\**$/.test(pattern.slice(j)) && pattern.length > j);
