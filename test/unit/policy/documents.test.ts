import { describe, expect, it } from 'vitest';
import {
  normaliseDocument,
  singleStatement,
  statementIndexes,
  statementsOf,
} from '../../../shared/policy/documents.js';

describe('statementsOf', () => {
  it.each([
    ['a list', { Statement: [{ Effect: 'Allow' }, { Effect: 'Deny' }] }, 2],
    ['a single statement object', { Statement: { Effect: 'Allow' } }, 1],
    ['an empty list', { Statement: [] }, 0],
  ])('reads %s', (_name, doc, count) => {
    expect(statementsOf(doc)).toHaveLength(count);
  });
});

describe('normaliseDocument', () => {
  it('turns JSON booleans and numbers in conditions into the strings IAM compares', () => {
    const doc = normaliseDocument({
      Statement: {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': [10, 20] } },
      },
    });
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: {
            Bool: { 'aws:SecureTransport': 'false' },
            NumericLessThan: { 's3:max-keys': ['10', '20'] },
          },
        },
      ],
    });
  });
});

describe('singleStatement and statementIndexes', () => {
  const doc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow' }, { Effect: 'Deny', Sid: 'D' }, { Effect: 'Allow' }],
  };
  it('finds statements by effect and isolates one', () => {
    expect(statementIndexes(doc, 'Allow')).toEqual([0, 2]);
    expect(statementIndexes(doc, 'Deny')).toEqual([1]);
    expect(singleStatement(doc, 1)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Sid: 'D' }],
    });
  });
});
