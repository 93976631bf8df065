import { describe, expect, it } from 'vitest';
import { replicationWritersOf } from '../../../shared/scope/evidence.js';

const ROLE = 'arn:aws:iam::111111111111:role/phi-replication';

const policy = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });

describe('replicationWritersOf', () => {
  it.each([
    ['s3:ReplicateObject', [ROLE]],
    [['s3:ReplicateObject', 's3:ReplicateDelete'], [ROLE]],
    ['s3:Replicate*', [ROLE]],
    ['s3:*', [ROLE]],
    ['s3:GetObject', []],
    ['s3:ReplicateDelete', []],
  ] as const)('a statement allowing %j names the principals it lets write replicas', (action, writers) => {
    expect(
      replicationWritersOf(
        policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: action, Resource: 'arn:aws:s3:::dr/*' }),
      ),
    ).toEqual(writers);
  });

  it('ignores Deny statements, NotAction and service principals', () => {
    expect(
      replicationWritersOf(
        policy(
          { Effect: 'Deny', Principal: { AWS: ROLE }, Action: 's3:ReplicateObject', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: ROLE }, NotAction: 's3:DeleteObject', Resource: '*' },
          { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 's3:*', Resource: '*' },
        ),
      ),
    ).toEqual([]);
  });

  it('lists every principal once, sorted, "*" included, and nothing without a policy', () => {
    expect(
      replicationWritersOf(
        policy(
          {
            Effect: 'Allow',
            Principal: { AWS: [ROLE, 'arn:aws:iam::222222222222:role/b'] },
            Action: 's3:ReplicateObject',
          },
          { Effect: 'Allow', Principal: '*', Action: 's3:ReplicateObject' },
          { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:ReplicateObject' },
        ),
      ),
    ).toEqual(['*', ROLE, 'arn:aws:iam::222222222222:role/b'].sort());
    expect(replicationWritersOf(null)).toEqual([]);
  });
});
