/**
 * The read-only role ReplGuard assumes in destination and member accounts (infra/member-account.yml):
 * exactly the reads the rules declare, derived by shared/iam, trusting only the function roles.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../../shared/iam/index.js';
import { derivePolicies, rulesReadPermissions } from '../../../shared/iam/index.js';
import { DEFAULT_PARAMETERS } from '../../../shared/model/snapshot.js';
import { rules } from '../../../shared/rules/index.js';
import type { Json } from './cfn.js';
import { infraTemplate } from './cfn.js';

const actionsOf = (s: Json): string[] => [s.Action].flat();

describe('member-account read-only role (infra/member-account.yml)', () => {
  const member = () => infraTemplate('member-account.yml').Resources.ReadOnlyRole!.Properties;
  /** The derived policy (the canary's reads are a policy of their own, below). */
  const statements = (): PolicyStatement[] =>
    member()
      .Policies.filter((p: Json) => p.PolicyName === 'replguard-read')
      .flatMap((p: Json) => p.PolicyDocument.Statement);
  const stale = 'infra/member-account.yml is out of date: run `npx tsx shared/iam/cli.ts member-account`';

  it('grants exactly the read permissions the rules declare', () => {
    expect(new Set(statements().flatMap(actionsOf)), stale).toEqual(new Set(rulesReadPermissions(rules)));
  });

  it('holds exactly the derived statements', async () => {
    expect(statements(), stale).toEqual((await derivePolicies()).memberReads);
  });

  it("reads the canary's objects under replguard-canary/ only (HeadObject on replicas), and its lifecycle rules", () => {
    const canary = member().Policies.find((p: Json) => p.PolicyName === 'replguard-canary-read');
    expect(canary.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ReadCanaryReplicas',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*/replguard-canary/*' },
      },
      {
        Sid: 'ReadLifecycleRules',
        Effect: 'Allow',
        Action: 's3:GetLifecycleConfiguration',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' },
      },
    ]);
    expect(member().Policies).toHaveLength(3);
  });

  it("may record findings in its own account's Security Hub only: its default product and hub, every Region", () => {
    const findings = member().Policies.find((p: Json) => p.PolicyName === 'replguard-findings');
    expect(findings.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ImportFindingsUnderOwnDefaultProduct',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        Resource: {
          'Fn::Sub':
            'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default',
        },
      },
      {
        Sid: 'ReadAndUpdateFindingsOfOwnHub',
        Effect: 'Allow',
        Action: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default' },
      },
    ]);
  });

  it('trusts only the ReplGuard function roles of the ReplGuard account', () => {
    const [trust] = member().AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual({
      Sid: 'ReplGuardFunctions',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${ReplGuardAccountId}:root' } },
      Action: 'sts:AssumeRole',
      Condition: {
        ArnLike: {
          'aws:PrincipalArn': {
            'Fn::Sub': 'arn:${AWS::Partition}:iam::${ReplGuardAccountId}:role${FunctionRolePath}*',
          },
        },
      },
    });
  });

  it('trusts the path of every function role and has the name they assume by default', () => {
    const template = infraTemplate('member-account.yml');
    const roles = Object.values(infraTemplate(join('stack', 'roles.yml')).Resources).filter(
      (r) => r.Type === 'AWS::IAM::Role',
    );
    // One role per function: five that read buckets, the sweep's list of shards and its summary.
    expect(roles).toHaveLength(7);
    for (const role of roles) expect(role.Properties.Path).toBe(template.Parameters.FunctionRolePath.Default);
    expect(template.Parameters.RoleName.Default).toBe(DEFAULT_PARAMETERS.crossAccountRoleName);
  });
});
