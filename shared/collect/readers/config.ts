import { ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import type { ClientFactory } from '../../aws/clientFactory.js';
import { ServiceId } from '../../aws/endpoint.js';
import { awsErrorCode } from '../../aws/errors.js';

/**
 * The latest configuration item of a resource (GetResourceConfigHistory, limit 1): what an oversized change
 * notification leaves out. `null` when Config has not recorded it. Dates become the ISO text Config's own
 * events carry, so the item normalises like one that came in the event.
 */
export const readLatestConfigItem = async (
  factory: ClientFactory,
  where: { readonly resourceType: string; readonly resourceId: string; readonly region: string },
): Promise<Record<string, unknown> | null> => {
  const config = factory.client(ConfigServiceClient, ServiceId.Config, { region: where.region });
  let item;
  try {
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: where.resourceType as never,
        resourceId: where.resourceId,
        limit: 1,
      }),
    );
    item = out.configurationItems?.[0];
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotDiscoveredException') return null;
    throw error;
  }
  return item ? (JSON.parse(JSON.stringify(item)) as Record<string, unknown>) : null;
};
