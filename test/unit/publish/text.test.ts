import { describe, expect, it } from 'vitest';
import { toAsciiLine, truncate, truncateUtf8, utf8Bytes } from '../../../shared/publish/text.js';

describe('truncate', () => {
  it.each<[string, string, number, string]>([
    ['short text unchanged', 'abc', 5, 'abc'],
    ['cut with an ellipsis', 'abcdefgh', 5, 'abcd…'],
    ['trailing space trimmed before the ellipsis', 'abc defgh', 5, 'abc…'],
    ['never splits a surrogate pair', 'ab🩻🩻', 4, 'ab…'],
  ])('%s', (_case, text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
    expect(truncate(text, max).length).toBeLessThanOrEqual(max);
  });
});

describe('truncateUtf8', () => {
  it.each([
    ['é', 2],
    ['患', 3],
    ['🩻', 4],
  ])('cuts %s text to the byte budget on a character boundary', (ch, size) => {
    const out = truncateUtf8(ch.repeat(200), 256);
    expect(utf8Bytes(out)).toBeLessThanOrEqual(256);
    expect(utf8Bytes(out)).toBeGreaterThan(256 - size - 3);
    expect(out.endsWith('…')).toBe(true);
    expect([...out.slice(0, -1)].every((c) => c === ch)).toBe(true);
  });

  it('leaves text within the budget alone', () => {
    expect(truncateUtf8('患者', 6)).toBe('患者');
  });
});

describe('toAsciiLine', () => {
  it.each<[string, string]>([
    ['phi-prod → phi-dr', 'phi-prod -> phi-dr'],
    ['line one\nline two\r\n', 'line one line two'],
    ['“quoted” – dash…', '"quoted" - dash...'],
    ['Zürich café', 'Zurich cafe'],
    ['患者', '??'],
    ['tab\there  and  spaces', 'tab here and spaces'],
  ])('%j → %j', (input, expected) => {
    expect(toAsciiLine(input)).toBe(expected);
  });
});
