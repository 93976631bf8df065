import { describe, expect, it } from 'vitest';
import { shJson, shq } from '../../../shared/support/shell.js';

describe('shq', () => {
  it.each([
    ['phi-prod', 'phi-prod'],
    ['arn:aws:sns:us-east-1:111111111111:topic', 'arn:aws:sns:us-east-1:111111111111:topic'],
    ['archive to eu', `'archive to eu'`],
    [`it's`, `'it'\\''s'`],
    ['$(rm -rf /)', `'$(rm -rf /)'`],
    ['<key-id>', `'<key-id>'`],
  ])('%s → %s', (value, quoted) => {
    expect(shq(value)).toBe(quoted);
  });

  it('quotes JSON compactly', () => {
    expect(shJson({ a: "o'k" })).toBe(`'{"a":"o'\\''k"}'`);
  });
});
