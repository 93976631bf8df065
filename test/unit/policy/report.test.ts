import { describe, expect, it } from 'vitest';
import {
  causeResources,
  checkAll,
  deniedOf,
  describeDenials,
  remediationOf,
} from '../../../shared/policy/report.js';
import { allow, deny, DST, DST_OBJECTS, role, roleArn, s3Request, SAMPLE_KEY } from './requests.js';

const replicate = (
  actions: string[],
  r = role([allow('s3:ReplicateObject', DST_OBJECTS)]),
  policy: Record<string, unknown>[] | null = null,
) =>
  actions.map((action) => s3Request({ r, action, bucket: 'phi-dr', key: SAMPLE_KEY, account: DST, policy }));

describe('describeDenials', () => {
  it('groups denied actions by resource and reason, and leaves allowed ones out', () => {
    const checks = checkAll(replicate(['s3:ReplicateObject', 's3:ReplicateTags', 's3:ReplicateDelete']));
    expect(deniedOf(checks)).toHaveLength(3);
    expect(describeDenials(checks)).toBe(
      's3:ReplicateObject on arn:aws:s3:::phi-dr/replguard-sample-object: not granted: phi-dr has no bucket policy (implicit deny); ' +
        's3:ReplicateTags, s3:ReplicateDelete on arn:aws:s3:::phi-dr/replguard-sample-object: not granted by the identity policies of role repl (implicit deny), and not granted: phi-dr has no bucket policy (implicit deny)',
    );
  });

  it('names explicit denies with their statements', () => {
    const checks = checkAll(
      replicate(['s3:ReplicateDelete'], role([allow('s3:*'), deny('NoDeletes', 's3:ReplicateDelete')]), [
        {
          Sid: 'Grant',
          Effect: 'Allow',
          Principal: { AWS: roleArn() },
          Action: 's3:*',
          Resource: DST_OBJECTS,
        },
      ]),
    );
    expect(describeDenials(checks)).toContain(
      'explicitly denied by the identity policies of role repl (inline policy p: NoDeletes)',
    );
  });
});

describe('remediationOf and causeResources', () => {
  it('merges fixes across actions and lists each resource once', () => {
    const checks = checkAll(replicate(['s3:ReplicateObject', 's3:ReplicateTags']));
    const text = remediationOf(checks);
    expect(text).toMatch(
      /^\(1\) Add to the bucket policy of phi-dr .*\(2\) Add to the inline policies of role repl/,
    );
    expect(text).toContain(
      '"Principal":{"AWS":"arn:aws:iam::111111111111:role/repl"},"Action":["s3:ReplicateObject","s3:ReplicateTags"]',
    );
    expect(text).toContain('"Effect":"Allow","Action":["s3:ReplicateTags"]');
    expect(causeResources(checks, [{ type: 'AwsIamRole', id: roleArn() }])).toEqual([
      { type: 'AwsIamRole', id: roleArn() },
      { type: 'AwsS3Bucket', id: 'arn:aws:s3:::phi-dr' },
    ]);
  });
});
