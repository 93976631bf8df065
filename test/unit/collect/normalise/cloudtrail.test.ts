import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import {
  normaliseAdvancedSelectors,
  normaliseBasicSelectors,
  normaliseSelectors,
} from '../../../../shared/collect/normalise/cloudtrail.js';
import { selectorCoversBucket } from '../../../../shared/rules/lib/trails.js';

const data = [
  { Field: 'eventCategory', Equals: ['Data'] },
  { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
];
const advanced = (...fields: { Field: string; [op: string]: unknown }[]): AdvancedEventSelector[] => [
  { Name: 's', FieldSelectors: [...data, ...fields] as AdvancedEventSelector['FieldSelectors'] },
];

describe('normaliseBasicSelectors', () => {
  it('keeps S3 object data resources with their read/write type and ignores other types', () => {
    expect(
      normaliseBasicSelectors([
        {
          ReadWriteType: 'WriteOnly',
          DataResources: [
            { Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::phi-prod/', 'arn:aws:s3:::phi-dr/'] },
            { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] },
          ],
        },
        { IncludeManagementEvents: true },
      ]),
    ).toEqual([
      {
        readWrite: 'WriteOnly',
        resourcePrefixes: ['arn:aws:s3:::phi-prod/', 'arn:aws:s3:::phi-dr/'],
        excludedPrefixes: [],
      },
    ]);
  });

  it('defaults the read/write type to All', () => {
    expect(
      normaliseBasicSelectors([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }]),
    ).toEqual([{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }]);
  });
});

describe('normaliseAdvancedSelectors', () => {
  it.each<[string, AdvancedEventSelector[], unknown[]]>([
    [
      'all S3 objects (no ARN field)',
      advanced(),
      [{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }],
    ],
    [
      'StartsWith and NotStartsWith on resources.ARN',
      advanced({
        Field: 'resources.ARN',
        StartsWith: ['arn:aws:s3:::phi-'],
        NotStartsWith: ['arn:aws:s3:::phi-tmp/'],
      }),
      [
        {
          readWrite: 'All',
          resourcePrefixes: ['arn:aws:s3:::phi-'],
          excludedPrefixes: ['arn:aws:s3:::phi-tmp/'],
        },
      ],
    ],
    [
      'readOnly false (writes only)',
      advanced({ Field: 'readOnly', Equals: ['false'] }),
      [{ readWrite: 'WriteOnly', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }],
    ],
    [
      'readOnly true (reads only)',
      advanced({ Field: 'readOnly', Equals: ['true'] }),
      [{ readWrite: 'ReadOnly', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }],
    ],
    [
      'Equals on one object ARN (never a whole bucket)',
      advanced({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::phi-prod/'] }),
      [{ readWrite: 'All', resourcePrefixes: [], excludedPrefixes: [] }],
    ],
    [
      'NotEquals and NotEndsWith exclusions',
      advanced({ Field: 'resources.ARN', NotEquals: ['arn:aws:s3:::phi-prod/x'], NotEndsWith: ['.tmp'] }),
      [
        {
          readWrite: 'All',
          resourcePrefixes: ['arn:aws:s3'],
          excludedPrefixes: ['arn:aws:s3:::phi-prod/x', 'arn:aws:s3:::'],
        },
      ],
    ],
    [
      'eventName restricted to PutObject (drops other writes)',
      advanced({ Field: 'eventName', Equals: ['PutObject'] }),
      [{ readWrite: 'All', resourcePrefixes: [], excludedPrefixes: [] }],
    ],
    [
      'eventName excluding only reads (still every write)',
      advanced({ Field: 'eventName', NotEquals: ['GetObject', 'HeadObject'] }),
      [{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }],
    ],
    [
      'a management events selector',
      [{ Name: 'm', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      [],
    ],
    [
      'data events of another resource type',
      [
        {
          Name: 'd',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          ],
        },
      ],
      [],
    ],
  ])('normalises %s', (_case, selectors, expected) => {
    expect(normaliseAdvancedSelectors(selectors)).toEqual(expected);
  });

  it.each<[string, AdvancedEventSelector[], boolean]>([
    ['every object', advanced(), true],
    ['the bucket prefix', advanced({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::phi-prod/'] }), true],
    ['another bucket', advanced({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::other/'] }), false],
    [
      'the bucket excluded',
      advanced({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::phi-prod/'] }),
      false,
    ],
    ['one object by Equals', advanced({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::phi-prod/'] }), false],
    ['reads only', advanced({ Field: 'readOnly', Equals: ['true'] }), false],
  ])('with rules/lib/trails: %s covers phi-prod → %s', (_case, selectors, covers) => {
    const [selector] = normaliseAdvancedSelectors(selectors);
    expect(selector && selectorCoversBucket(selector, 'phi-prod')).toBe(covers);
  });
});

describe('normaliseSelectors', () => {
  it('reads both kinds from a GetEventSelectors response', () => {
    expect(
      normaliseSelectors({
        EventSelectors: [
          { ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
        ],
        AdvancedEventSelectors: advanced({ Field: 'readOnly', Equals: ['false'] }),
      }),
    ).toHaveLength(2);
  });
});
