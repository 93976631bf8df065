/**
 * Each side of a request judged on its own by the simulator, to attribute a denial: the role's identity
 * policies (or its permissions boundary) as if nothing else were in the way, and the resource policy as
 * a cross-account request would meet it. Also lists the statements that decided.
 */
import type { PolicyDocument } from '../model/snapshot.js';
import { statementMayMatchAction } from './actions.js';
import { refOf, singleStatement, statementsOf } from './documents.js';
import { decide, type NamedDocument } from './engine.js';
import {
  type Decision,
  isServicePrincipal,
  type RolePrincipal,
  type SideVerdict,
  type SimulationRequest,
  type StatementRef,
} from './types.js';

/** The session name used for the simulated role session. */
export const SESSION_NAME = 'replguard-simulated';

export const ALLOW_ALL: NamedDocument = {
  name: 'replguard allow-all',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const partitionOf = (arn: string): string => arn.split(':')[1] || 'aws';

/** `arn:aws:sts::<account>:assumed-role/<name>/replguard-simulated`: S3 acts as a session of the role. */
export const sessionArnOf = (role: RolePrincipal): string =>
  `arn:${partitionOf(role.arn)}:sts::${role.accountId}:assumed-role/${role.name}/${SESSION_NAME}`;

const delegations = new Map<string, NamedDocument>();

/**
 * A key policy that leaves the decision to IAM in `account` (to judge identity policies on their own); one
 * document per account, so the engine validates and digests it once.
 */
export const accountDelegation = (role: RolePrincipal): NamedDocument => {
  const root = `arn:${partitionOf(role.arn)}:iam::${role.accountId}:root`;
  let delegation = delegations.get(root);
  if (!delegation) {
    delegation = {
      name: 'replguard account delegation',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }],
      },
    };
    if (delegations.size >= 1_000) delegations.clear();
    delegations.set(root, delegation);
  }
  return delegation;
};

/** An account other than `account`, to evaluate a resource policy as a cross-account request would. */
const otherAccount = (account: string): string =>
  account === '000000000000' ? '000000000001' : '000000000000';

/** The role's identity policies, named as results mention them. */
export const identityDocuments = (role: RolePrincipal): NamedDocument[] => [
  ...(role.inlinePolicies ?? []).map((p) => ({ name: `inline policy ${p.name}`, document: p.document })),
  ...(role.managedPolicies ?? []).map((p) => ({ name: `managed policy ${p.name}`, document: p.document })),
];

/** The role's permissions boundary, named as results mention it. */
export const boundaryDocuments = (role: RolePrincipal): NamedDocument[] =>
  role.permissionsBoundary
    ? [
        {
          name: `permissions boundary ${role.permissionsBoundary.name}`,
          document: role.permissionsBoundary.document,
        },
      ]
    : [];

/** "bucket policy of phi-dr", "key policy of arn:aws:kms:…", "trust policy of role phi-replication". */
export const resourcePolicyName = (request: SimulationRequest): string => {
  const { kind, name } = request.resource;
  if (kind === 'role') return `trust policy of role ${name.slice(name.lastIndexOf('/') + 1)}`;
  return `${kind === 'key' ? 'key' : 'bucket'} policy of ${name}`;
};

const singles = new WeakMap<PolicyDocument, PolicyDocument[]>();

/** Statement `index` of `doc` as a document of its own, one object per statement (validated and digested once). */
export const statementDocument = (doc: PolicyDocument, index: number): PolicyDocument => {
  let perDoc = singles.get(doc);
  if (!perDoc) {
    perDoc = [];
    singles.set(doc, perDoc);
  }
  return (perDoc[index] ??= singleStatement(doc, index));
};

/**
 * The statements that decided `decision` on their own: the allows when Allowed, the denies when
 * ExplicitlyDenied. Candidates are the statements of that effect whose `Action` may match the request (one
 * that cannot match cannot decide); each is simulated alone. When the side is Allowed and there is a single
 * candidate, it is the one: an allow is granted by some allow statement matching the request, and that
 * statement matches it the same way alone, with no deny beside it.
 */
const decidingStatements = (
  decision: Decision,
  action: string,
  docs: readonly NamedDocument[],
  runOne: (doc: NamedDocument) => Decision,
): StatementRef[] => {
  if (decision === 'ImplicitlyDenied') return [];
  const effect = decision === 'Allowed' ? 'Allow' : 'Deny';
  const candidates = docs.flatMap((doc) =>
    statementsOf(doc.document).flatMap((statement, index) =>
      statement.Effect === effect && statementMayMatchAction(statement, action) ? [{ doc, index }] : [],
    ),
  );
  const [only] = candidates;
  if (decision === 'Allowed' && only && candidates.length === 1)
    return [refOf(only.doc.name, only.doc.document, only.index)];
  return candidates.flatMap(({ doc, index }) =>
    runOne({ name: doc.name, document: statementDocument(doc.document, index) }) === decision
      ? [refOf(doc.name, doc.document, index)]
      : [],
  );
};

/** Identity policies (or the boundary) of the role on their own, as if nothing else were in the way. */
export const principalSide = (
  request: SimulationRequest,
  role: RolePrincipal,
  docs: NamedDocument[],
): SideVerdict => {
  const run = (identity: NamedDocument[]) =>
    decide({
      principal: sessionArnOf(role),
      action: request.action,
      resource: request.resource.arn,
      resourceAccount: role.accountId,
      context: request.context,
      identity,
      ...(request.resource.kind === 'key' ? { resourcePolicy: accountDelegation(role) } : {}),
    });
  const decision = run(docs);
  return { decision, statements: decidingStatements(decision, request.action, docs, (doc) => run([doc])) };
};

/** The resource policy on its own: does it grant the principal (directly or through its account), or deny it? */
export const resourceSide = (request: SimulationRequest): SideVerdict => {
  const { resource, principal } = request;
  if (!resource.policy) return { decision: 'NoPolicy', statements: [] };
  const policy: NamedDocument = { name: resourcePolicyName(request), document: resource.policy };
  const base = {
    action: request.action,
    resource: resource.arn,
    context: request.context,
    resourcePolicyType: resource.kind === 'role' ? ('trust' as const) : ('resource' as const),
  };
  if (isServicePrincipal(principal)) {
    const run = (doc: NamedDocument) =>
      decide({
        ...base,
        principal: principal.service,
        resourceAccount: resource.accountId,
        identity: [],
        resourcePolicy: doc,
      });
    const decision = run(policy);
    return {
      decision,
      ...(decision === 'Allowed' ? { grant: 'direct' as const } : {}),
      statements: decidingStatements(decision, request.action, [policy], run),
    };
  }
  const session = sessionArnOf(principal);
  // Cross-account with an allow-all identity: allowed exactly when the policy grants the role or its account.
  const run = (doc: NamedDocument) =>
    decide({
      ...base,
      principal: session,
      resourceAccount: otherAccount(principal.accountId),
      identity: [ALLOW_ALL],
      resourcePolicy: doc,
    });
  const decision = run(policy);
  if (decision !== 'Allowed')
    return { decision, statements: decidingStatements(decision, request.action, [policy], run) };
  // Same account with no identity policy: allowed only when the policy names the role itself.
  const direct =
    decide({
      ...base,
      principal: session,
      resourceAccount: principal.accountId,
      identity: [],
      resourcePolicy: policy,
    }) === 'Allowed';
  return {
    decision,
    grant: direct ? 'direct' : 'account',
    statements: decidingStatements(decision, request.action, [policy], run),
  };
};
