import { describe, expect, it } from 'vitest';
import { globCoversPrefix, globMatches } from '../../../../shared/rules/lib/glob.js';

describe('globMatches', () => {
  it.each([
    ['arn:aws:s3:::phi-prod', 'arn:aws:s3:::phi-prod', true],
    ['arn:aws:s3:::phi-*', 'arn:aws:s3:::phi-prod', true],
    ['arn:aws:s3:::phi-???d', 'arn:aws:s3:::phi-prod', true],
    ['*', 'arn:aws:s3:::phi-prod', true],
    ['arn:aws:s3:::phi-prod/*', 'arn:aws:s3:::phi-prod', false],
    ['arn:aws:s3:::phi', 'arn:aws:s3:::phi-prod', false],
    ['arn:aws:s3:::*-prod', 'arn:aws:s3:::phi-prod', true],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
  });
});

describe('globCoversPrefix', () => {
  it.each([
    ['arn:aws:s3:::phi-prod/*', true],
    ['arn:aws:s3:::phi-prod*', true],
    ['arn:aws:s3:::*', true],
    ['*', true],
    ['arn:aws:s3:::*/*', true],
    ['arn:aws:s3:::phi-prod/', false],
    ['arn:aws:s3:::phi-prod/scans/*', false],
    ['arn:aws:s3:::phi-prod/?*', false],
    ['arn:aws:s3:::phi-prod/*.pdf', false],
    ['arn:aws:s3:::other/*', false],
  ])('%s covers every object of phi-prod: %s', (pattern, expected) => {
    expect(globCoversPrefix(pattern, 'arn:aws:s3:::phi-prod/')).toBe(expected);
  });
});
