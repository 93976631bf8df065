/**
 * The SCPs or RCPs of a request judged on their own, level by level, to attribute a denial: which level
 * (root, OU, account) blocks, by which policy and statement (explicit deny), or because nothing attached to
 * it allows the action (implicit deny). Each is simulated over a base that otherwise allows the request (an
 * allow-all identity policy in the principal's own account; for a service principal, a resource policy
 * granting it), so only the Organization policies can deny.
 */
import { describeOrgTarget } from '../model/organization.js';
import { statementMayMatchAction } from './actions.js';
import { refOf, statementsOf } from './documents.js';
import { type ControlLevelDocuments, decide, type EngineRequest, type NamedDocument } from './engine.js';
import { accountDelegation, ALLOW_ALL, sessionArnOf, statementDocument } from './sides.js';
import {
  type ControlLevel,
  type ControlPaths,
  type Decision,
  type Denial,
  type Fix,
  isServicePrincipal,
  PolicySide,
  type SideVerdict,
  type SimulationRequest,
  type StatementRef,
} from './types.js';

export type ControlKind = 'scp' | 'rcp';

const LABEL = { scp: 'SCP', rcp: 'RCP' } as const;

/** The AWS managed Organization policies (attached by default, never editable). */
const AWS_MANAGED_IDS: ReadonlySet<string> = new Set(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);
const PLURAL = { scp: 'SCPs', rcp: 'RCPs' } as const;

/** "SCP DenyKmsOutsideHome (p-abc12345) attached to OU ou-ab12-cdef5678 (Clinical)": a policy in a StatementRef. */
const policyLabel = (
  kind: ControlKind,
  level: ControlLevel,
  policy: ControlLevel['policies'][number],
): string => `${LABEL[kind]} ${policy.name} (${policy.id}) attached to ${describeOrgTarget(level.target)}`;

/** A level as the engine takes it, its policies named as results refer to them. */
const levelDocuments = (kind: ControlKind, level: ControlLevel): ControlLevelDocuments => ({
  level: level.target.id,
  policies: level.policies.map((p) => ({
    name: policyLabel(kind, level, p),
    document: p.document,
    ...(AWS_MANAGED_IDS.has(p.id) ? { awsManaged: true } : {}),
  })),
});

/** The request over a base that allows it, with no Organization policy yet. */
const base = (request: SimulationRequest): Omit<EngineRequest, 'scp' | 'rcp'> => {
  const { principal, resource } = request;
  if (isServicePrincipal(principal)) {
    const grant: NamedDocument = {
      name: 'replguard service grant',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: principal.service },
            Action: request.action,
            ...(resource.kind === 'role' ? {} : { Resource: '*' }),
          },
        ],
      },
    };
    return {
      principal: principal.service,
      action: request.action,
      resource: resource.arn,
      resourceAccount: resource.accountId,
      context: request.context,
      identity: [],
      resourcePolicy: grant,
      resourcePolicyType: resource.kind === 'role' ? 'trust' : 'resource',
    };
  }
  return {
    principal: sessionArnOf(principal),
    action: request.action,
    resource: resource.arn,
    resourceAccount: principal.accountId,
    context: request.context,
    identity: [ALLOW_ALL],
    ...(resource.kind === 'key' ? { resourcePolicy: accountDelegation(principal) } : {}),
  };
};

/** How one level alone judges the request, with the deny statements that decided an explicit deny. */
interface LevelVerdict {
  readonly level: ControlLevel;
  readonly decision: Decision;
  readonly statements: readonly StatementRef[];
}

const judgeLevel = (kind: ControlKind, request: SimulationRequest, level: ControlLevel): LevelVerdict => {
  const start = base(request);
  const run = (docs: ControlLevelDocuments) => decide({ ...start, [kind]: [docs] });
  const docs = levelDocuments(kind, level);
  const decision = run(docs);
  if (decision !== 'ExplicitlyDenied') return { level, decision, statements: [] };
  const statements = docs.policies.flatMap((policy) =>
    statementsOf(policy.document).flatMap((statement, index) =>
      statement.Effect === 'Deny' &&
      statementMayMatchAction(statement, request.action) &&
      run({
        level: docs.level,
        policies: [{ ...policy, document: statementDocument(policy.document, index) }],
      }) === 'ExplicitlyDenied'
        ? [refOf(policy.name, policy.document, index)]
        : [],
    ),
  );
  return { level, decision, statements };
};

/** A denial by the SCPs or RCPs, with its fix (a decision for the Organization's administrators). */
export interface ControlBlock {
  readonly side: PolicySide;
  readonly denial: Denial;
  readonly fix: Fix;
}

/** What the SCPs or RCPs of a request decide, and the levels that block it. */
export interface ControlVerdict {
  readonly verdict: SideVerdict;
  readonly blocks: readonly ControlBlock[];
}

const fixOf = (
  kind: ControlKind,
  request: SimulationRequest,
  paths: ControlPaths,
  judged: LevelVerdict,
): ControlBlock => {
  const denial: Denial = judged.decision === 'ExplicitlyDenied' ? 'explicit' : 'implicit';
  const side = kind === 'scp' ? PolicySide.Scp : PolicySide.Rcp;
  const where = `the ${PLURAL[kind]} attached to ${describeOrgTarget(judged.level.target)}`;
  return {
    side,
    denial,
    fix: {
      change: denial === 'explicit' ? 'remove' : 'add',
      side,
      actions: [request.action],
      principal: isServicePrincipal(request.principal) ? request.principal.service : request.principal.arn,
      target: {
        type: 'organization-policy',
        kind,
        target: judged.level.target,
        accountId: paths.accountId,
        managementAccountId: paths.managementAccountId,
      },
      where,
      ...(denial === 'explicit' ? { statements: judged.statements } : {}),
    },
  };
};

/** The SCPs (or RCPs) of `request` on their own; undefined when none apply. */
export const controlVerdict = (request: SimulationRequest, kind: ControlKind): ControlVerdict | undefined => {
  const paths = request.controls?.[kind];
  if (!paths) return undefined;
  const judged = paths.levels.map((level) => judgeLevel(kind, request, level));
  const explicit = judged.filter((j) => j.decision === 'ExplicitlyDenied');
  const implicit = judged.filter((j) => j.decision === 'ImplicitlyDenied');
  const blocking = explicit.length > 0 ? explicit : implicit;
  const decision: Decision =
    explicit.length > 0 ? 'ExplicitlyDenied' : implicit.length > 0 ? 'ImplicitlyDenied' : 'Allowed';
  return {
    verdict: { decision, statements: explicit.flatMap((j) => j.statements) },
    blocks: blocking.map((j) => fixOf(kind, request, paths, j)),
  };
};

/** The Organization-policy documents of a request, as the engine takes them. */
export const controlDocuments = (request: SimulationRequest): Pick<EngineRequest, 'scp' | 'rcp'> => {
  const { scp, rcp } = request.controls ?? {};
  return {
    ...(scp ? { scp: scp.levels.map((l) => levelDocuments('scp', l)) } : {}),
    ...(rcp ? { rcp: rcp.levels.map((l) => levelDocuments('rcp', l)) } : {}),
  };
};
