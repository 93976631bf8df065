/**
 * Our interface over the IAM simulator: one request in, a Verdict out saying whether it is allowed, which
 * side decided (identity policies, permissions boundary, resource policy; explicit or implicit) and what
 * would fix it. AWS's rules, as applied here:
 * - an explicit Deny anywhere wins;
 * - same account: the identity policies OR the resource policy may grant (a bucket policy naming the role
 *   is still limited by its permissions boundary);
 * - cross-account: the identity policies AND the resource policy must both grant;
 * - KMS: the key policy must always grant, to the role directly or to its account root (then IAM decides);
 * - a role's trust policy must grant the service that assumes it.
 * - SCPs of the principal's account and RCPs of the resource's (request.controls, see organization.ts): every
 *   level must allow, an explicit deny anywhere denies.
 * The overall decision is the simulator's; each side is also simulated on its own to attribute a denial.
 */
import { type ControlBlock, controlDocuments, controlVerdict } from './controls.js';
import { decide } from './engine.js';
import { fixFor } from './fix.js';
import {
  boundaryDocuments,
  identityDocuments,
  principalSide,
  resourcePolicyName,
  resourceSide,
  sessionArnOf,
} from './sides.js';
import {
  type Denial,
  type Fix,
  isServicePrincipal,
  PolicySide,
  type SideVerdict,
  type SimulationRequest,
  type Verdict,
} from './types.js';

interface Block {
  readonly side: PolicySide;
  readonly denial: Denial;
  /** Made by the side itself (SCPs and RCPs); otherwise built by fixFor. */
  readonly fix?: Fix;
}

/** The SCP and RCP verdicts of a request (those that apply), as sides and blocks. */
const controlsOf = (
  request: SimulationRequest,
  kinds: readonly ('scp' | 'rcp')[],
): { sides: Pick<Verdict['sides'], 'scp' | 'rcp'>; blocks: ControlBlock[] } => {
  const sides: { scp?: SideVerdict; rcp?: SideVerdict } = {};
  const blocks: ControlBlock[] = [];
  for (const kind of kinds) {
    const verdict = controlVerdict(request, kind);
    if (!verdict) continue;
    sides[kind] = verdict.verdict;
    blocks.push(...verdict.blocks);
  }
  return { sides, blocks };
};

const explicitBlocks = (sides: readonly [PolicySide, SideVerdict | undefined][]): Block[] =>
  sides.flatMap(([side, v]) =>
    v?.decision === 'ExplicitlyDenied' ? [{ side, denial: 'explicit' as const }] : [],
  );

const assemble = (
  request: SimulationRequest,
  allowed: boolean,
  blocks: readonly Block[],
  sides: Verdict['sides'],
): Verdict => {
  const { principal, resource } = request;
  const sameAccount = !isServicePrincipal(principal) && principal.accountId === resource.accountId;
  const sideOf = (side: PolicySide): SideVerdict | undefined =>
    side === PolicySide.Identity
      ? sides.identity
      : side === PolicySide.Boundary
        ? sides.boundary
        : sides.resourcePolicy;
  const first = blocks[0];
  const statements = allowed
    ? [
        ...(sides.identity?.decision === 'Allowed' ? sides.identity.statements : []),
        ...(sides.resourcePolicy?.decision === 'Allowed' ? sides.resourcePolicy.statements : []),
      ]
    : blocks.flatMap((b) =>
        b.denial !== 'explicit' ? [] : b.fix ? (b.fix.statements ?? []) : (sideOf(b.side)?.statements ?? []),
      );
  return {
    allowed,
    action: request.action,
    principal: isServicePrincipal(principal) ? principal.service : principal.arn,
    resource: resource.arn,
    resourceAccount: resource.accountId,
    sameAccount,
    ...(first ? { deniedBy: first.side, denial: first.denial } : {}),
    ...(statements.length > 0 ? { statements } : {}),
    sides,
    fixes: blocks.map((b) => b.fix ?? fixFor(request, b.side, b.denial, sideOf(b.side)?.statements ?? [])),
  };
};

/**
 * The whole chain for one request: identity policies, permissions boundary and resource policy together,
 * as AWS decides it. A service principal (S3 assuming the role) is judged by the resource (trust) policy.
 */
export const simulate = (request: SimulationRequest): Verdict => {
  const { principal, resource } = request;
  if (isServicePrincipal(principal)) {
    const resourcePolicy = resourceSide(request);
    const controls = controlsOf(request, ['rcp']);
    const granted = resourcePolicy.decision === 'Allowed';
    const denial: Denial = resourcePolicy.decision === 'ExplicitlyDenied' ? 'explicit' : 'implicit';
    const blocks: Block[] = [
      ...(granted ? [] : [{ side: PolicySide.ResourcePolicy, denial }]),
      ...controls.blocks,
    ];
    return assemble(request, blocks.length === 0, blocks, { resourcePolicy, ...controls.sides });
  }
  const identityDocs = identityDocuments(principal);
  const boundaryDocs = boundaryDocuments(principal);
  const overall = decide({
    principal: sessionArnOf(principal),
    action: request.action,
    resource: resource.arn,
    resourceAccount: resource.accountId,
    context: request.context,
    identity: identityDocs,
    ...(boundaryDocs.length > 0 ? { boundary: boundaryDocs } : {}),
    ...(resource.policy
      ? {
          resourcePolicy: { name: resourcePolicyName(request), document: resource.policy },
          resourcePolicyType: resource.kind === 'role' ? ('trust' as const) : ('resource' as const),
        }
      : {}),
    ...controlDocuments(request),
  });
  const identity = principalSide(request, principal, identityDocs);
  const boundary = boundaryDocs.length > 0 ? principalSide(request, principal, boundaryDocs) : undefined;
  const resourcePolicy = resourceSide(request);
  const controls = controlsOf(request, ['scp', 'rcp']);
  const sides = { identity, ...(boundary ? { boundary } : {}), resourcePolicy, ...controls.sides };
  if (overall === 'Allowed') return assemble(request, true, [], sides);
  const sameAccount = principal.accountId === resource.accountId;
  // Same account, a bucket policy naming the role grants it without IAM; elsewhere IAM must grant too.
  const identityNeeded = !(sameAccount && resourcePolicy.grant === 'direct');
  // Cross-account, KMS keys and trust policies: the resource policy must grant.
  const resourceNeeded = !sameAccount || resource.kind !== 'bucket';
  const blocks: Block[] = explicitBlocks([
    [PolicySide.Identity, identity],
    [PolicySide.Boundary, boundary],
    [PolicySide.ResourcePolicy, resourcePolicy],
  ]);
  if (identityNeeded && identity.decision === 'ImplicitlyDenied')
    blocks.push({ side: PolicySide.Identity, denial: 'implicit' });
  if (boundary?.decision === 'ImplicitlyDenied')
    blocks.push({ side: PolicySide.Boundary, denial: 'implicit' });
  if (
    resourceNeeded &&
    (resourcePolicy.decision === 'ImplicitlyDenied' || resourcePolicy.decision === 'NoPolicy')
  )
    blocks.push({ side: PolicySide.ResourcePolicy, denial: 'implicit' });
  blocks.push(...controls.blocks);
  // Not explained side by side: an explicit deny only the combination produces (a NotPrincipal Deny in a
  // resource policy always denies a principal with a boundary) lives in the resource policy.
  if (blocks.length === 0)
    blocks.push(
      overall === 'ExplicitlyDenied' && resource.policy
        ? { side: PolicySide.ResourcePolicy, denial: 'explicit' }
        : { side: PolicySide.Identity, denial: overall === 'ExplicitlyDenied' ? 'explicit' : 'implicit' },
    );
  return assemble(request, false, blocks, sides);
};

/** The role's own policies only (identity policies and permissions boundary), whatever the resource policy says. */
export const simulatePrincipalPolicies = (request: SimulationRequest): Verdict => {
  const role = request.principal;
  if (isServicePrincipal(role)) throw new TypeError(`${role.service} has no policies of its own to simulate`);
  const identity = principalSide(request, role, identityDocuments(role));
  const boundaryDocs = boundaryDocuments(role);
  const boundary = boundaryDocs.length > 0 ? principalSide(request, role, boundaryDocs) : undefined;
  const blocks = explicitBlocks([
    [PolicySide.Identity, identity],
    [PolicySide.Boundary, boundary],
  ]);
  if (identity.decision === 'ImplicitlyDenied')
    blocks.push({ side: PolicySide.Identity, denial: 'implicit' });
  if (boundary?.decision === 'ImplicitlyDenied')
    blocks.push({ side: PolicySide.Boundary, denial: 'implicit' });
  const controls = controlsOf(request, ['scp']);
  blocks.push(...controls.blocks);
  return assemble(request, blocks.length === 0, blocks, {
    identity,
    ...(boundary ? { boundary } : {}),
    ...controls.sides,
  });
};

/**
 * The resource policy only: it must not deny, and must grant where AWS requires a resource-side grant
 * (cross-account, KMS key policies, trust policies); a same-account bucket needs no bucket-policy grant.
 */
export const simulateResourcePolicy = (request: SimulationRequest): Verdict => {
  const { principal, resource } = request;
  const resourcePolicy = resourceSide(request);
  const needsGrant =
    isServicePrincipal(principal) || principal.accountId !== resource.accountId || resource.kind !== 'bucket';
  const controls = controlsOf(request, ['rcp']);
  const blocks: Block[] = [
    ...(resourcePolicy.decision === 'ExplicitlyDenied'
      ? [{ side: PolicySide.ResourcePolicy, denial: 'explicit' as const }]
      : needsGrant && resourcePolicy.decision !== 'Allowed'
        ? [{ side: PolicySide.ResourcePolicy, denial: 'implicit' as const }]
        : []),
    ...controls.blocks,
  ];
  return assemble(request, blocks.length === 0, blocks, { resourcePolicy, ...controls.sides });
};
