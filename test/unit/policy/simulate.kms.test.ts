import { describe, expect, it } from 'vitest';
import { simulate } from '../../../shared/policy/simulate.js';
import type { SimulationRequest } from '../../../shared/policy/types.js';
import {
  allow,
  decryptVia,
  deny,
  DST,
  DST_KEY,
  type Expected,
  expectedOutcome,
  grant,
  kmsRequest,
  outcome,
  role,
  roleArn,
  rootOf,
  SRC,
  SRC_KEY,
} from './requests.js';

describe('simulate: KMS requests through S3', () => {
  const srcObjects = 'arn:aws:s3:::phi-prod/*';
  const bucketArn = 'arn:aws:s3:::phi-prod';
  it.each<[string, SimulationRequest, Expected]>([
    [
      'key policy delegating to the account root, identity grant with ViaService and encryption context',
      kmsRequest({ r: role([decryptVia('us-east-1', srcObjects)]), keyPolicy: [rootOf(SRC)] }),
      {
        allowed: true,
        statements: ['inline policy p: Decrypt', `key policy of ${SRC_KEY}: EnableIAMUserPermissions`],
      },
    ],
    [
      'key policy delegating to the account root, no identity grant',
      kmsRequest({ r: role([allow('s3:*')]), keyPolicy: [rootOf(SRC)] }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'key policy granting the role directly (same account, no identity grant)',
      kmsRequest({ r: role([]), keyPolicy: [grant('UseKey', 'kms:Decrypt', '*')] }),
      { allowed: true },
    ],
    [
      'key policy granting neither the role nor the account',
      kmsRequest({
        r: role([decryptVia('us-east-1', srcObjects)]),
        keyPolicy: [grant('Admins', 'kms:*', '*', { AWS: `arn:aws:iam::${SRC}:role/admin` })],
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'Bucket Keys on: an object-ARN encryption-context condition no longer matches',
      kmsRequest({
        r: role([decryptVia('us-east-1', srcObjects)]),
        keyPolicy: [rootOf(SRC)],
        bucketKeyEnabled: true,
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'Bucket Keys on: a bucket-ARN encryption-context condition matches',
      kmsRequest({
        r: role([decryptVia('us-east-1', bucketArn)]),
        keyPolicy: [rootOf(SRC)],
        bucketKeyEnabled: true,
      }),
      { allowed: true },
    ],
    [
      'Bucket Keys off: a bucket-ARN-only condition does not match object ARNs',
      kmsRequest({ r: role([decryptVia('us-east-1', bucketArn)]), keyPolicy: [rootOf(SRC)] }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'kms:ViaService in another Region than the bucket',
      kmsRequest({ r: role([decryptVia('us-west-2', srcObjects)]), keyPolicy: [rootOf(SRC)] }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
    [
      'an explicit deny in the key policy',
      kmsRequest({
        r: role([decryptVia('us-east-1', srcObjects)]),
        keyPolicy: [rootOf(SRC), { ...deny('NoDecrypt', 'kms:Decrypt'), Principal: '*' }],
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'explicit' },
    ],
    [
      'cross-account key whose policy only delegates to its own account',
      kmsRequest({
        r: role([allow(['kms:Encrypt', 'kms:GenerateDataKey'], DST_KEY)]),
        action: 'kms:Encrypt',
        key: DST_KEY,
        keyAccount: DST,
        keyPolicy: [rootOf(DST)],
        bucket: 'phi-dr',
        region: 'us-west-2',
      }),
      { allowed: false, deniedBy: 'resource-policy', denial: 'implicit' },
    ],
    [
      'cross-account key whose policy names the role',
      kmsRequest({
        r: role([allow(['kms:Encrypt', 'kms:GenerateDataKey'], DST_KEY)]),
        action: 'kms:GenerateDataKey',
        key: DST_KEY,
        keyAccount: DST,
        keyPolicy: [rootOf(DST), grant('AllowSourceRole', ['kms:Encrypt', 'kms:GenerateDataKey'], '*')],
        bucket: 'phi-dr',
        region: 'us-west-2',
      }),
      { allowed: true },
    ],
    [
      'cross-account key whose policy names the role, but the role has no identity grant',
      kmsRequest({
        r: role([]),
        action: 'kms:Encrypt',
        key: DST_KEY,
        keyAccount: DST,
        keyPolicy: [grant('AllowSourceRole', 'kms:Encrypt', '*')],
        bucket: 'phi-dr',
        region: 'us-west-2',
      }),
      { allowed: false, deniedBy: 'identity', denial: 'implicit' },
    ],
  ])('%s', (_name, request, expected) => {
    const verdict = simulate(request);
    expect(outcome(verdict)).toEqual(expectedOutcome(expected));
    if (expected.statements)
      expect(verdict.statements?.map((s) => `${s.policy}: ${s.sid}`)).toEqual(expected.statements);
  });

  it('tells a direct key-policy grant from a delegation to the account', () => {
    const delegated = simulate(
      kmsRequest({ r: role([decryptVia('us-east-1', srcObjects)]), keyPolicy: [rootOf(SRC)] }),
    );
    const direct = simulate(kmsRequest({ r: role([]), keyPolicy: [grant('UseKey', 'kms:Decrypt', '*')] }));
    expect(delegated.sides.resourcePolicy?.grant).toBe('account');
    expect(direct.sides.resourcePolicy?.grant).toBe('direct');
  });

  it('proposes a key-policy statement with the ViaService and encryption-context condition', () => {
    const verdict = simulate(
      kmsRequest({
        r: role([allow('kms:*', DST_KEY)]),
        action: 'kms:Encrypt',
        key: DST_KEY,
        keyAccount: DST,
        keyPolicy: [rootOf(DST)],
        bucket: 'phi-dr',
        region: 'us-west-2',
        bucketKeyEnabled: true,
      }),
    );
    expect(verdict.fixes[0]).toMatchObject({
      where: `the key policy of ${DST_KEY}`,
      statement: {
        Principal: { AWS: roleArn() },
        Action: ['kms:Encrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          StringLike: {
            'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::phi-dr', 'arn:aws:s3:::phi-dr/*'],
          },
        },
      },
    });
  });
});
