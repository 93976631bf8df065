import { describe, expect, it } from 'vitest';
import {
  simulate,
  simulatePrincipalPolicies,
  simulateResourcePolicy,
} from '../../../shared/policy/simulate.js';
import type { SimulationRequest } from '../../../shared/policy/types.js';
import {
  allow,
  deny,
  DST,
  DST_OBJECTS as dstObjects,
  type Expected,
  expectedOutcome,
  grant,
  outcome,
  role,
  roleArn,
  s3Request,
  SAMPLE_KEY as KEY,
  SRC,
  tlsDeny,
} from './requests.js';

describe('simulate: S3 assuming the role', () => {
  const trustRequest = (
    trust: Record<string, unknown>[],
    sourceArn = 'arn:aws:s3:::phi-prod',
  ): SimulationRequest => {
    const r = role([], undefined, trust);
    return {
      principal: { service: 's3.amazonaws.com' },
      action: 'sts:AssumeRole',
      resource: { kind: 'role', arn: r.arn, accountId: SRC, name: r.arn, policy: r.trustPolicy },
      context: { 'aws:SourceAccount': SRC, 'aws:SourceArn': sourceArn, 'aws:SecureTransport': 'true' },
    };
  };
  const s3Trust = { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' };
  const scoped = {
    ...s3Trust,
    Condition: {
      StringEquals: { 'aws:SourceAccount': SRC },
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::phi-prod' },
    },
  };

  it.each<[string, SimulationRequest, Expected]>([
    ['trusts s3.amazonaws.com', trustRequest([s3Trust]), { allowed: true }],
    [
      'trusts a list of services including S3',
      trustRequest([{ ...s3Trust, Principal: { Service: ['ec2.amazonaws.com', 's3.amazonaws.com'] } }]),
      { allowed: true },
    ],
    [
      'trusts only EC2',
      trustRequest([{ ...s3Trust, Principal: { Service: 'ec2.amazonaws.com' } }]),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    ['scoped to this bucket and account', trustRequest([scoped]), { allowed: true }],
    [
      'scoped to another bucket',
      trustRequest([scoped], 'arn:aws:s3:::other'),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'an explicit deny for S3',
      trustRequest([s3Trust, { ...s3Trust, Sid: 'NoS3', Effect: 'Deny' }]),
      { allowed: false, deniedBy: 'resource-policy', denial: 'explicit' },
    ],
  ])('%s', (_name, request, expected) => {
    expect(outcome(simulate(request))).toEqual(expectedOutcome(expected));
  });

  it('proposes the trust statement for the service', () => {
    const verdict = simulate(trustRequest([{ ...s3Trust, Principal: { Service: 'ec2.amazonaws.com' } }]));
    expect(verdict.fixes[0]).toMatchObject({
      target: { type: 'trust-policy', roleName: 'repl', roleArn: roleArn() },
      statement: { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: ['sts:AssumeRole'] },
    });
    expect(verdict.fixes[0]?.statement).not.toHaveProperty('Resource');
  });
});

describe('simulatePrincipalPolicies', () => {
  it('judges the role alone, whatever the destination account and bucket policy', () => {
    const request = s3Request({
      r: role([allow('s3:Replicate*', dstObjects)]),
      action: 's3:ReplicateObject',
      bucket: 'phi-dr',
      key: KEY,
      account: DST,
    });
    expect(simulate(request).allowed).toBe(false);
    expect(simulatePrincipalPolicies(request)).toMatchObject({
      allowed: true,
      sides: { identity: { decision: 'Allowed' } },
    });
  });

  it.each<[string, SimulationRequest, Expected]>([
    [
      'no identity grant',
      s3Request({
        r: role([allow('s3:Get*')]),
        action: 's3:ReplicateTags',
        bucket: 'phi-dr',
        key: KEY,
        account: DST,
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'boundary without the action',
      s3Request({
        r: role([allow('s3:*')], [allow('s3:Get*')]),
        action: 's3:ReplicateTags',
        bucket: 'phi-dr',
        key: KEY,
      }),
      { allowed: false, deniedBy: 'boundary', denial: 'implicit' },
    ],
  ])('%s', (_name, request, expected) => {
    expect(outcome(simulatePrincipalPolicies(request))).toEqual(expected);
  });

  it('refuses a service principal', () => {
    const request = {
      ...s3Request({ r: role([]), action: 's3:ListBucket' }),
      principal: { service: 's3.amazonaws.com' },
    };
    expect(() => simulatePrincipalPolicies(request)).toThrow(TypeError);
  });
});

describe('simulateResourcePolicy', () => {
  const replicate = (account: string, policy: Record<string, unknown>[] | null) =>
    s3Request({ r: role([]), action: 's3:ReplicateObject', bucket: 'phi-dr', key: KEY, account, policy });

  it.each<[string, SimulationRequest, Expected]>([
    ['same account, no bucket policy: nothing to grant', replicate(SRC, null), { allowed: true }],
    ['same account, a TLS-only policy', replicate(SRC, [tlsDeny]), { allowed: true }],
    [
      'same account, an explicit deny',
      replicate(SRC, [{ ...deny('NoReplication', 's3:Replicate*', dstObjects), Principal: '*' }]),
      { allowed: false, deniedBy: 'resource-policy', denial: 'explicit' },
    ],
    [
      'cross-account, no bucket policy',
      replicate(DST, null),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'cross-account, a grant with s3:Replicate*',
      replicate(DST, [tlsDeny, grant('AllowReplication', 's3:Replicate*', dstObjects)]),
      { allowed: true },
    ],
  ])('%s', (_name, request, expected) => {
    expect(outcome(simulateResourcePolicy(request))).toEqual(expected);
  });
});
