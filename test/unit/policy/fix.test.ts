import { describe, expect, it } from 'vitest';
import { changesOf } from '../../../shared/policy/changes.js';
import { mergeFixes, renderFixes } from '../../../shared/policy/fix.js';
import { simulate } from '../../../shared/policy/simulate.js';
import { allow, DST, DST_KEY, kmsRequest, role, rootOf, s3Request } from './requests.js';

const KEY = 'replguard-sample-object';

describe('mergeFixes', () => {
  it('joins the actions of grants with the same target and shape into one statement', () => {
    const r = role([]);
    const requests = ['s3:ReplicateObject', 's3:ReplicateTags'].map((action) => ({
      ...s3Request({ r, action, bucket: 'phi-dr', key: KEY, account: DST }),
      sid: 'ReplGuardReplicationDestinationObjects',
    }));
    const merged = mergeFixes(requests.flatMap((req) => simulate(req).fixes));
    expect(merged.map((f) => [f.target.type, f.statement?.Action])).toEqual([
      ['role-inline-policy', ['s3:ReplicateObject', 's3:ReplicateTags']],
      ['bucket-policy', ['s3:ReplicateObject', 's3:ReplicateTags']],
    ]);
    expect(merged[1]?.statement?.Sid).toBe('ReplGuardReplicationDestinationObjects');
  });

  it('keeps grants on different resources apart', () => {
    const r = role([]);
    const fixes = [
      ...simulate(s3Request({ r, action: 's3:ListBucket', bucket: 'phi-dr', account: DST })).fixes,
      ...simulate(s3Request({ r, action: 's3:ReplicateObject', bucket: 'phi-dr', key: KEY, account: DST }))
        .fixes,
    ];
    expect(mergeFixes(fixes)).toHaveLength(4);
  });
});

describe('changesOf (policy fixes as changes for the fix planner)', () => {
  const checked = (request: Parameters<typeof simulate>[0]) => [{ request, verdict: simulate(request) }];

  it("adds the grant to ReplGuard's inline policy of the role", () => {
    const [change] = changesOf(checked(s3Request({ r: role([]), action: 's3:ListBucket' })));
    expect(change).toMatchObject({
      kind: 'policy',
      holder: { kind: 'role-inline-policy', roleName: 'repl', policyName: 'ReplGuardReplication' },
      add: [{ Effect: 'Allow', Action: ['s3:ListBucket'] }],
    });
  });

  it('adds the grant to the bucket policy of a cross-account destination', () => {
    const request = s3Request({
      r: role([allow('s3:*')]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
    });
    expect(changesOf(checked(request))).toEqual([
      expect.objectContaining({
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: 'phi-dr', accountId: DST },
        add: [expect.objectContaining({ Sid: 'ReplGuardS3ReplicateObject', Action: ['s3:ReplicateObject'] })],
      }),
    ]);
  });

  it('edits the key policy in the key Region', () => {
    const request = kmsRequest({
      r: role([allow('kms:*')]),
      action: 'kms:Encrypt',
      key: DST_KEY,
      keyAccount: DST,
      keyPolicy: [rootOf(DST)],
      region: 'us-west-2',
      bucket: 'phi-dr',
    });
    expect(changesOf(checked(request))[0]).toMatchObject({
      kind: 'policy',
      holder: { kind: 'key-policy', keyArn: DST_KEY, accountId: DST, region: 'us-west-2' },
    });
  });

  it('narrows a deny of the destination bucket policy to spare the role, never removes it', () => {
    const request = s3Request({
      r: role([allow('s3:*')]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
      policy: [
        { Sid: 'Allow', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*' },
        { Sid: 'NoWrites', Effect: 'Deny', Principal: '*', Action: 's3:Replicate*', Resource: '*' },
      ],
    });
    expect(changesOf(checked(request))).toContainEqual(
      expect.objectContaining({
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: 'phi-dr', accountId: DST },
        exempt: [{ statement: 'NoWrites', principalArn: expect.stringContaining(':role/repl') }],
      }),
    );
  });

  it("leaves a deny in the role's own policy to a person (a decision, no command)", () => {
    const request = s3Request({
      r: role([allow('s3:*'), { Sid: 'NoList', Effect: 'Deny', Action: 's3:ListBucket', Resource: '*' }]),
      action: 's3:ListBucket',
    });
    expect(changesOf(checked(request))).toEqual([
      expect.objectContaining({ kind: 'decision', text: expect.stringContaining('NoList') }),
    ]);
  });
});

describe('renderFixes', () => {
  it('says what to add where, with the JSON statement (the planner writes the command)', () => {
    const request = s3Request({
      r: role([allow('s3:*')]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
    });
    const text = renderFixes(simulate(request).fixes, [request]);
    expect(text).toContain(
      `Add to the bucket policy of phi-dr (account ${DST}): {"Sid":"ReplGuardS3ReplicateObject"`,
    );
  });

  it('numbers several fixes and names the deny statements to remove', () => {
    const request = s3Request({
      r: role([{ Sid: 'NoReplication', Effect: 'Deny', Action: 's3:Replicate*', Resource: '*' }]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
    });
    const text = renderFixes(simulate(request).fixes, [request]);
    expect(text).toMatch(
      /^\(1\) Remove or narrow inline policy p: NoReplication in the inline policies of role repl/,
    );
    expect(text).toContain('(2) Add to the bucket policy of phi-dr');
  });
});
