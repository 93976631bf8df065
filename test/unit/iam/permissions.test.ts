import { describe, expect, it } from 'vitest';
import {
  CENTRAL_READ_PERMISSIONS,
  declaredPermissions,
  DISCOVERY_PERMISSIONS,
  functionReadPermissions,
  HOP_ACTIONS,
  IamDerivationError,
  parseAction,
  rulesReadPermissions,
} from '../../../shared/iam/index.js';
import { rules } from '../../../shared/rules/index.js';
import type { Rule } from '../../../shared/rules/types.js';

const ruleWith = (id: string, permissions: string[]): Rule => ({ ...rules[0]!, id, permissions });

describe('parseAction', () => {
  it('splits service:Action', () => {
    expect(parseAction('s3:GetBucketVersioning')).toEqual({ service: 's3', name: 'GetBucketVersioning' });
  });

  it.each(['s3:*', 's3:Get*', '*', 's3', 'S3:GetBucketPolicy', 's3:Get-Bucket'])('rejects %s', (action) => {
    expect(() => parseAction(action)).toThrow(IamDerivationError);
    expect(() => parseAction(action)).toThrow(expect.objectContaining({ code: 'INVALID_ACTION' }));
  });
});

describe('declared permissions', () => {
  const catalog = [
    ruleWith('a', ['s3:GetBucketVersioning', 'sts:AssumeRole']),
    ruleWith('b', ['kms:DescribeKey', 's3:GetBucketVersioning']),
  ];

  it('are the union of every rule, sorted, without duplicates', () => {
    expect(declaredPermissions(catalog)).toEqual([
      'kms:DescribeKey',
      's3:GetBucketVersioning',
      'sts:AssumeRole',
    ]);
  });

  it('reject a rule declaring a wildcard', () => {
    expect(() => declaredPermissions([ruleWith('c', ['s3:Get*'])])).toThrow(IamDerivationError);
  });

  it('leave the account hop out of the member-account reads', () => {
    expect(rulesReadPermissions(catalog)).toEqual(['kms:DescribeKey', 's3:GetBucketVersioning']);
  });

  it('add bucket discovery to the reads of the functions', () => {
    expect(functionReadPermissions(catalog)).toEqual(
      [...new Set(['kms:DescribeKey', 's3:GetBucketVersioning', ...DISCOVERY_PERMISSIONS])].sort(),
    );
  });

  it('cover the whole catalog, every action read-only except the hop', () => {
    const all = declaredPermissions(rules);
    expect(all.length).toBeGreaterThan(5);
    for (const a of rulesReadPermissions(rules)) expect(a).toMatch(/^[a-z0-9-]+:(Get|List|Describe)/);
    expect(all.filter((a) => !rulesReadPermissions(rules).includes(a))).toEqual(
      [...HOP_ACTIONS, ...CENTRAL_READ_PERMISSIONS].filter((h) => all.includes(h)).sort(),
    );
  });

  it('grant the Organizations reads to the function roles only: member accounts cannot answer them', () => {
    const central = declaredPermissions(rules).filter((a) => a.startsWith('organizations:'));
    expect(central).toEqual([...CENTRAL_READ_PERMISSIONS].sort());
    for (const a of central) {
      expect(rulesReadPermissions(rules)).not.toContain(a);
      expect(functionReadPermissions(rules)).toContain(a);
    }
  });
});
