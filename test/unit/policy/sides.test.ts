import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { refOf, singleStatement, statementIndexes } from '../../../shared/policy/documents.js';
import { decide, type NamedDocument, resetEngine } from '../../../shared/policy/engine.js';
import { PolicyEvaluationError } from '../../../shared/policy/errors.js';
import {
  identityDocuments,
  principalSide,
  resourcePolicyName,
  resourceSide,
  sessionArnOf,
} from '../../../shared/policy/sides.js';
import type { Decision, SideVerdict, SimulationRequest, StatementRef } from '../../../shared/policy/types.js';
import { doc, kmsRequest, role, roleArn, s3Request, SRC, SRC_KEY, type Statement } from './requests.js';

const allowAll: NamedDocument = {
  name: 'allow all',
  document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
};
const delegation: NamedDocument = {
  name: 'delegation',
  document: doc([
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SRC}:root` }, Action: 'kms:*', Resource: '*' },
  ]),
};

/**
 * The deciding statements as found by simulating every statement of the deciding effect on its own (what
 * sides.ts did before it skipped statements that cannot match): the reference the shortcuts must agree with.
 */
const everyStatementAlone = (
  decision: SideVerdict['decision'],
  docs: readonly NamedDocument[],
  runOne: (doc: NamedDocument) => Decision,
): StatementRef[] => {
  if (decision !== 'Allowed' && decision !== 'ExplicitlyDenied') return [];
  const effect = decision === 'Allowed' ? 'Allow' : 'Deny';
  return docs.flatMap((d) =>
    statementIndexes(d.document, effect).flatMap((i) =>
      runOne({ name: d.name, document: singleStatement(d.document, i) }) === decision
        ? [refOf(d.name, d.document, i)]
        : [],
    ),
  );
};

const REQUESTS = [
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionForReplication',
  's3:ListBucket',
  'kms:Decrypt',
];
const ACTIONS = [
  ...REQUESTS,
  ...REQUESTS,
  's3:Get*',
  's3:*',
  'S3:getobjectversionacl',
  's3:ListBucket',
  's3:ReplicateObject',
  'kms:Decrypt',
  'kms:*',
  '*',
];
const RESOURCES = [
  '*',
  '*',
  '*',
  'arn:aws:s3:::phi-prod',
  'arn:aws:s3:::phi-prod/*',
  'arn:aws:s3:::other/*',
  SRC_KEY,
];
const CONDITIONS: (Statement | undefined)[] = [
  undefined,
  { Bool: { 'aws:SecureTransport': 'false' } },
  { StringEquals: { 'aws:PrincipalAccount': SRC } },
  { StringLike: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
];
const PRINCIPALS: unknown[] = [
  { AWS: roleArn() },
  '*',
  { AWS: `arn:aws:iam::${SRC}:root` },
  { AWS: 'arn:aws:iam::999999999999:role/x' },
];

const statement = (withPrincipal: boolean) =>
  fc
    .record({
      sid: fc.constantFrom('A', 'B', undefined),
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      not: fc.nat(9).map((n) => n === 0),
      actions: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 2 }),
      resource: fc.constantFrom(...RESOURCES),
      condition: fc.constantFrom(...CONDITIONS),
      principal: fc.constantFrom(...PRINCIPALS),
    })
    .map((s): Statement => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect,
      ...(withPrincipal ? { Principal: s.principal } : {}),
      [s.not ? 'NotAction' : 'Action']: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resource,
      ...(s.condition ? { Condition: s.condition } : {}),
    }));

const requestFor = (
  action: string,
  identity: Statement[],
  resourcePolicy: Statement[],
): SimulationRequest => {
  const r = role(identity);
  if (action.startsWith('kms:')) return kmsRequest({ r, action, keyPolicy: resourcePolicy });
  return s3Request({
    r,
    action,
    ...(action === 's3:ListBucket' ? {} : { key: 'replguard-sample-object' }),
    policy: resourcePolicy,
  });
};

/** Runs `fn`; a policy the engine rejects (the generator makes some) counts as nothing to compare. */
const unlessInvalid = <T>(fn: () => T): T | undefined => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PolicyEvaluationError) return undefined;
    throw error;
  }
};

describe('deciding statements', () => {
  beforeEach(resetEngine);

  it('are those found by simulating every statement alone, on the identity side', () => {
    const seen = { allowed: 0, denied: 0, several: 0 };
    fc.assert(
      fc.property(
        fc.array(statement(false), { maxLength: 6 }),
        fc.constantFrom(...REQUESTS),
        (identity, action) => {
          const request = requestFor(action, identity, [{ Effect: 'Allow', Principal: '*', Action: '*' }]);
          if (!('arn' in request.principal)) throw new Error('expected a role');
          const principal = request.principal;
          const docs = identityDocuments(principal);
          const side = unlessInvalid(() => principalSide(request, principal, docs));
          if (!side) return;
          const expected = everyStatementAlone(side.decision, docs, (d) =>
            decide({
              principal: sessionArnOf(principal),
              action: request.action,
              resource: request.resource.arn,
              resourceAccount: principal.accountId,
              context: request.context,
              identity: [d],
              ...(request.resource.kind === 'key' ? { resourcePolicy: delegation } : {}),
            }),
          );
          expect(side.statements).toEqual(expected);
          if (side.decision === 'Allowed') seen.allowed++;
          if (side.decision === 'ExplicitlyDenied') seen.denied++;
          if (expected.length > 1) seen.several++;
        },
      ),
      { numRuns: 500 },
    );
    expect(Math.min(seen.allowed, seen.denied, seen.several)).toBeGreaterThan(0);
  });

  it('are those found by simulating every statement alone, on the resource-policy side', () => {
    const seen = { allowed: 0, denied: 0 };
    fc.assert(
      fc.property(
        fc.array(statement(true), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...REQUESTS),
        (resourceStatements, action) => {
          const request = requestFor(action, [], resourceStatements);
          const { principal, resource } = request;
          if (!('arn' in principal) || !resource.policy) throw new Error('expected a role and a policy');
          const side = unlessInvalid(() => resourceSide(request));
          if (!side) return;
          const policy = { name: resourcePolicyName(request), document: resource.policy };
          const expected = everyStatementAlone(side.decision, [policy], (d) =>
            decide({
              principal: sessionArnOf(principal),
              action: request.action,
              resource: resource.arn,
              resourceAccount: '000000000000',
              context: request.context,
              identity: [allowAll],
              resourcePolicy: d,
              resourcePolicyType: 'resource',
            }),
          );
          expect(side.statements).toEqual(expected);
          if (side.decision === 'Allowed') seen.allowed++;
          if (side.decision === 'ExplicitlyDenied') seen.denied++;
        },
      ),
      { numRuns: 500 },
    );
    expect(Math.min(seen.allowed, seen.denied)).toBeGreaterThan(0);
  });
});
