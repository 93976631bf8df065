import { ClientFactory, type ClientFactoryOptions } from '../aws/clientFactory.js';
import type { ScanParameters } from '../model/snapshot.js';

/** The client factory of a command that scans: its Region and endpoint flags, its cross-account role. */
export const scanningFactory = (
  args: { readonly region?: string; readonly endpointUrl?: string; readonly parameters: ScanParameters },
  options: ClientFactoryOptions,
): ClientFactory =>
  new ClientFactory({
    ...options,
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
    crossAccountRoleName: args.parameters.crossAccountRoleName,
  });
