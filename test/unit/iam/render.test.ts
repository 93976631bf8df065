import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PolicyStatement } from '../../../shared/iam/index.js';
import {
  BEGIN_MARKER,
  END_MARKER,
  MissingMarkersError,
  replaceDerivedBlock,
} from '../../../shared/iam/render.js';

const statements: PolicyStatement[] = [
  { Sid: 'ReadS3Any', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: ['*'] },
  {
    Sid: 'ReadS3Bucket',
    Effect: 'Allow',
    Action: ['s3:GetBucketPolicy', 's3:GetBucketVersioning'],
    Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' }],
  },
];

const template = [
  'Statement:',
  `  ${BEGIN_MARKER}`,
  '  - Sid: Stale',
  `  ${END_MARKER}`,
  'After: 1',
  '',
].join('\n');

describe('replaceDerivedBlock', () => {
  it('replaces what is between the markers, indented like them, and keeps the rest', () => {
    const out = replaceDerivedBlock(template, statements);
    expect(out).not.toContain('Stale');
    expect(out).toContain(`  ${BEGIN_MARKER}\n  - Sid: ReadS3Any\n`);
    expect(out).toContain("    - !Sub 'arn:${AWS::Partition}:s3:::*'");
    const parsed = parse(out, { customTags: [{ tag: '!Sub', resolve: (s: string) => ({ 'Fn::Sub': s }) }] });
    expect(parsed).toEqual({ Statement: statements, After: 1 });
  });

  it('is idempotent', () => {
    const once = replaceDerivedBlock(template, statements);
    expect(replaceDerivedBlock(once, statements)).toBe(once);
  });

  it('refuses a template without the markers', () => {
    expect(() => replaceDerivedBlock('Statement: []\n', statements)).toThrow(MissingMarkersError);
  });
});
