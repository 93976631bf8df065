import { describe, expect, it } from 'vitest';
import { fixCommand, mergeFixes, renderFixes } from '../../../shared/policy/fix.js';
import { simulate } from '../../../shared/policy/simulate.js';
import type { Fix } from '../../../shared/policy/types.js';
import { allow, doc, DST, DST_KEY, kmsRequest, role, rootOf, s3Request } from './requests.js';

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

describe('fixCommand', () => {
  const grantOn = (fix: Fix | undefined) => fix as Fix;

  it('adds a ReplGuard inline policy to the role', () => {
    const [fix] = simulate(s3Request({ r: role([]), action: 's3:ListBucket' })).fixes;
    expect(fixCommand(grantOn(fix), null)).toMatch(
      /^aws iam put-role-policy --role-name repl --policy-name ReplGuardReplication --policy-document '\{.*"s3:ListBucket".*\}'$/,
    );
  });

  it('replaces the bucket policy with the current statements plus the grant', () => {
    const current = doc([
      { Sid: 'Keep', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' },
    ]);
    const request = s3Request({
      r: role([allow('s3:*')]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
    });
    const fix = grantOn(simulate(request).fixes[0]);
    const command = fixCommand(fix, current) ?? '';
    expect(command).toMatch(/^aws s3api put-bucket-policy --bucket phi-dr --policy '/);
    const policy = JSON.parse(command.slice(command.indexOf("'") + 1, -1)) as {
      Statement: { Sid: string }[];
    };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Keep', 'ReplGuardS3ReplicateObject']);
  });

  it('puts the key policy back in the key Region', () => {
    const request = kmsRequest({
      r: role([allow('kms:*')]),
      action: 'kms:Encrypt',
      key: DST_KEY,
      keyAccount: DST,
      keyPolicy: [rootOf(DST)],
      region: 'us-west-2',
      bucket: 'phi-dr',
    });
    const fix = grantOn(simulate(request).fixes[0]);
    expect(fixCommand(fix, request.resource.policy)).toMatch(
      new RegExp(
        `^aws kms put-key-policy --region us-west-2 --key-id ${DST_KEY} --policy-name default --policy '`,
      ),
    );
  });

  it('has no command for removing a deny (a guardrail is a human decision)', () => {
    const request = s3Request({
      r: role([allow('s3:*'), { Sid: 'NoList', Effect: 'Deny', Action: 's3:ListBucket', Resource: '*' }]),
      action: 's3:ListBucket',
    });
    expect(fixCommand(grantOn(simulate(request).fixes[0]), null)).toBeUndefined();
  });
});

describe('renderFixes', () => {
  it('says what to add where, with the JSON statement and the command', () => {
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
    expect(text).toContain('aws s3api put-bucket-policy --bucket phi-dr');
    expect(text).toContain(`with credentials of account ${DST}`);
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
