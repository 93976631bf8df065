/**
 * Counts of runtime findings carried across invocations. A storm spans many SQS batches; the finding
 * already in Security Hub holds the totals so far (ProductFields `replguard/details/count` and
 * `firstSeen`), so each batch adds to them instead of restarting at its own count. Without Security Hub
 * (REPLGUARD_SECURITY_HUB=off) counts are per invocation.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { findingIdOf } from '../findings/identity.js';
import { Field } from '../publish/asff.js';
import { previousFromAsff } from '../publish/asffState.js';
import { productArn } from '../publish/links.js';
import { readFindings } from '../publish/securityHub.js';
import type { RuleResult } from '../rules/types.js';
import type { PreviousCounts } from './failureFindings.js';

/**
 * The stored counts of the ACTIVE findings these results update, keyed by finding id. A resolved finding
 * starts again from zero (a new incident).
 */
export const readPreviousCounts = async (
  factory: ClientFactory,
  results: readonly RuleResult[],
): Promise<Map<string, PreviousCounts>> => {
  const out = new Map<string, PreviousCounts>();
  if (results.length === 0) return out;
  const home = await factory.homeAccountId();
  const byRegion = new Map<string, string[]>();
  for (const r of results) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), findingIdOf(r)]);
  for (const [region, ids] of byRegion) {
    const stored = await readFindings(
      {
        client: factory.client(SecurityHubClient, ServiceId.SecurityHub, { region }),
        productArn: productArn(region, home),
        accountId: home,
        region,
      },
      [...new Set(ids)],
    );
    for (const [id, finding] of stored) {
      if (previousFromAsff(finding)?.state !== 'ACTIVE') continue;
      const fields = finding.ProductFields ?? {};
      const count = Number(fields[`${Field.details}count`]);
      const firstSeen = fields[`${Field.details}firstSeen`];
      if (Number.isFinite(count) && count > 0) out.set(id, { count, ...(firstSeen ? { firstSeen } : {}) });
    }
  }
  return out;
};
