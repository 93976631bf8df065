/**
 * An AWS Organization in the emulator: created by a management account, with OUs, member accounts
 * (CreateAccount: moto gives them random ids) and SCPs or RCPs attached to any level. moto keeps the
 * Organization in the management account's state, so ReplGuard reads it acting as that account (as it does
 * in production: Organizations answers in the management account or a delegated administrator).
 */
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import { actAs, EMULATOR_CREDENTIALS } from './clients.js';

export interface OrganizationHandle {
  readonly id: string;
  readonly rootId: string;
  readonly managementAccount: string;
  readonly client: OrganizationsClient;
}

/** Creates an Organization (all features, SCPs and RCPs enabled) managed by `managementAccount`. */
export const createOrganization = async (
  endpoint: string,
  managementAccount: string,
): Promise<OrganizationHandle> => {
  const client = actAs(
    new OrganizationsClient({
      endpoint,
      region: 'us-east-1',
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 8,
    }),
    managementAccount,
  );
  const created = await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const roots = await client.send(new ListRootsCommand({}));
  const rootId = roots.Roots?.[0]?.Id ?? '';
  for (const PolicyType of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const)
    await client.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType }));
  return { id: created.Organization?.Id ?? '', rootId, managementAccount, client };
};

/** A new OU under `parentId` (default: the root); its id. */
export const createOu = async (
  org: OrganizationHandle,
  name: string,
  parentId = org.rootId,
): Promise<string> =>
  (await org.client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name })))
    .OrganizationalUnit?.Id ?? '';

/** A new member account, moved into `ouId` when given; its id. */
export const createMemberAccount = async (
  org: OrganizationHandle,
  name: string,
  ouId?: string,
): Promise<string> => {
  const out = await org.client.send(
    new CreateAccountCommand({ AccountName: name, Email: `${name}@example.org` }),
  );
  const accountId = out.CreateAccountStatus?.AccountId ?? '';
  if (ouId)
    await org.client.send(
      new MoveAccountCommand({ AccountId: accountId, SourceParentId: org.rootId, DestinationParentId: ouId }),
    );
  return accountId;
};

/** Creates an SCP or RCP and attaches it to `targetId` (root, OU or account); its id. */
export const attachControlPolicy = async (
  org: OrganizationHandle,
  policy: {
    readonly name: string;
    readonly type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
    readonly document: PolicyDocument;
    readonly targetId: string;
  },
): Promise<string> => {
  const out = await org.client.send(
    new CreatePolicyCommand({
      Name: policy.name,
      Type: policy.type,
      Description: policy.name,
      Content: JSON.stringify(policy.document),
    }),
  );
  const policyId = out.Policy?.PolicySummary?.Id ?? '';
  await org.client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: policy.targetId }));
  return policyId;
};
