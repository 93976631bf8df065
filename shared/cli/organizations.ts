/** The Organization's accounts for `replguard scan --org` (the CLI only, with a person's credentials): ListAccounts, ACTIVE ones. */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';

export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
}

/** Every ACTIVE account of the caller's Organization (the management or a delegated administrator account). */
export const listActiveAccounts = async (factory: ClientFactory): Promise<OrganizationAccount[]> => {
  const client = factory.client(OrganizationsClient, ServiceId.Organizations, { region: 'us-east-1' });
  const accounts: OrganizationAccount[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand({ NextToken: token }));
    for (const a of page.Accounts ?? [])
      if (a.Id && (a.State ?? a.Status) === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
    token = page.NextToken;
  } while (token);
  return accounts.sort((a, b) => a.id.localeCompare(b.id));
};
