import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeEach, describe, expect, it } from 'vitest';
import { decide, type EngineRequest, engineStats, resetEngine } from '../../../shared/policy/engine.js';
import { PolicyEvaluationError, unevaluable } from '../../../shared/policy/errors.js';
import { allow, deny, doc, DST, grant, rootOf, SRC, SRC_KEY } from './requests.js';

const session = `arn:aws:sts::${SRC}:assumed-role/repl/replguard-simulated`;

/** The reproduction of the iam-simulate encryption-context defect (see emulator-and-toolchain.md). */
const decryptRequest = (contextArn: string) => ({
  principal: session,
  action: 'kms:Decrypt',
  resource: SRC_KEY,
  resourceAccount: SRC,
  context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': contextArn },
  identity: [
    {
      name: 'p',
      document: doc([
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: SRC_KEY,
          Condition: {
            StringLike: {
              'kms:ViaService': 's3.us-east-1.amazonaws.com',
              'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::src/*'],
            },
          },
        },
      ]),
    },
  ],
  resourcePolicy: { name: 'key policy', document: doc([rootOf(SRC)]) },
});

describe('decide', () => {
  beforeEach(resetEngine);

  it.each([
    ['arn:aws:s3:::src/a.pdf', 'Allowed'],
    ['arn:aws:s3:::other/a.pdf', 'ImplicitlyDenied'],
  ])('evaluates kms:EncryptionContext:aws:s3:arn conditions (context %s → %s)', (arn, decision) => {
    expect(decide(decryptRequest(arn))).toBe(decision);
  });

  it('simulates a request once and answers repeats from its memo', () => {
    decide(decryptRequest('arn:aws:s3:::src/a.pdf'));
    decide(decryptRequest('arn:aws:s3:::src/a.pdf'));
    decide(decryptRequest('arn:aws:s3:::src/b.pdf'));
    expect(engineStats).toEqual({ runs: 2, hits: 1 });
  });

  it('rejects an invalid policy, naming it', () => {
    const request = {
      ...decryptRequest('arn:aws:s3:::src/a.pdf'),
      identity: [
        {
          name: 'inline policy broken',
          document: doc([{ Effect: 'Maybe', Action: 'kms:*', Resource: '*' }]),
        },
      ],
    };
    expect(() => decide(request)).toThrow(PolicyEvaluationError);
    try {
      decide(request);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_POLICY', policy: 'inline policy broken' });
      expect(unevaluable(error)).toMatchObject({
        known: false,
        reason: expect.stringContaining('inline policy broken'),
      });
    }
  });

  it('lets errors other than evaluation errors through unevaluable', () => {
    expect(() => unevaluable(new RangeError('defect'))).toThrow(RangeError);
  });
});

describe('decide agrees with the validated, async runSimulation', () => {
  const s3Context = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalArn': `arn:aws:iam::${SRC}:role/repl`,
    'aws:PrincipalAccount': SRC,
  };
  const replicate = (
    account: string,
    identity: Record<string, unknown>[],
    bucketPolicy?: Record<string, unknown>[],
  ): EngineRequest => ({
    principal: session,
    action: 's3:ReplicateObject',
    resource: 'arn:aws:s3:::phi-dr/replguard-sample-object',
    resourceAccount: account,
    context: s3Context,
    identity: [{ name: 'p', document: doc(identity) }],
    ...(bucketPolicy ? { resourcePolicy: { name: 'bucket policy', document: doc(bucketPolicy) } } : {}),
  });
  const objects = 'arn:aws:s3:::phi-dr/*';

  it.each<[string, EngineRequest]>([
    [
      'KMS encryption context, matching (needs the install-time patch on the async path)',
      decryptRequest('arn:aws:s3:::src/a.pdf'),
    ],
    ['KMS encryption context, not matching', decryptRequest('arn:aws:s3:::other/a.pdf')],
    ['same account, identity grant', replicate(SRC, [allow('s3:Replicate*', objects)])],
    ['cross-account, no bucket policy', replicate(DST, [allow('s3:Replicate*', objects)])],
    [
      'cross-account, bucket-policy grant',
      replicate(DST, [allow('s3:Replicate*', objects)], [grant('G', 's3:ReplicateObject', objects)]),
    ],
    [
      'cross-account, TLS deny and grant',
      replicate(
        DST,
        [allow('*')],
        [
          {
            ...deny('Tls', 's3:*', objects),
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          grant('G', 's3:Replicate*', objects),
        ],
      ),
    ],
    ['identity deny', replicate(SRC, [allow('*'), deny('D', 's3:ReplicateObject')])],
  ])('%s', async (_name, request) => {
    const validated = await runSimulation(
      {
        request: {
          principal: request.principal,
          action: request.action,
          resource: { resource: request.resource, accountId: request.resourceAccount },
          contextVariables: request.context as Record<string, string>,
        },
        identityPolicies: request.identity.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy.document } : {}),
      },
      {},
    );
    expect(validated.resultType).not.toBe('error');
    if (validated.resultType === 'error') return;
    expect(decide(request)).toBe(validated.overallResult);
  });
});
