/**
 * The Security Hub sink: records findings as ASFF (BatchImportFindings under the account's default product)
 * and is where their previous state is read back from, so ReplGuard needs no table of its own. The state
 * sink: the pipeline runs it before any alert.
 *
 * Findings are recorded in the account that owns their source bucket: with the default product ARN Security
 * Hub only imports findings whose `AwsAccountId` is the calling account, so findings of another account are
 * read and imported there through its member role (`ClientFactory` AssumeRole, `REPLGUARD_CROSS_ACCOUNT_ROLE_NAME`),
 * under that account's product ARN; the Security Hub administrator sees them like any member finding.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceId } from '../../aws/endpoint.js';
import { toAsff } from '../asff.js';
import { previousFromAsff, resultFromAsff } from '../asffState.js';
import { productArn } from '../links.js';
import { importFindings, readFindings, type SecurityHubTarget, updateWorkflow } from '../securityHub.js';
import type { SinkDefinition, SinkEnvironment, StateSink, StoredFinding } from './types.js';

/** Security Hub of `account` in `region`: ReplGuard's own clients at home, the member role elsewhere. */
const targetIn = (
  env: SinkEnvironment,
  region: string,
  home: string,
  account: string = home,
): SecurityHubTarget => {
  const member = account !== home;
  return {
    client: env.factory.client(SecurityHubClient, ServiceId.SecurityHub, {
      region,
      ...(member ? { accountId: account } : {}),
    }),
    productArn: productArn(region, account),
    accountId: account,
    region,
    ...(member ? { via: env.factory.roleArnIn(account) } : {}),
  };
};

export const securityHubSink = (env: SinkEnvironment): StateSink => ({
  name: 'securityHub',
  role: 'state',
  async read({ region, home, accountId, ids, buckets, scope, watch }) {
    const stored = await readFindings(targetIn(env, region, home, accountId), {
      ids,
      buckets,
      ...(scope ? { scope } : {}),
      ...(watch ? { watch } : {}),
    });
    const out = new Map<string, StoredFinding>();
    for (const [id, record] of stored) {
      const previous = previousFromAsff(record);
      if (previous)
        out.set(id, { previous, rebuild: (reason, status) => resultFromAsff(record, reason, status) });
    }
    return out;
  },
  async deliver({ region, home, accountId, items, regionOf }) {
    const target = targetIn(env, region, home, accountId);
    const writes = items
      .filter((i) => i.write)
      .map((i) =>
        toAsff({
          id: i.id,
          result: i.result,
          productArn: target.productArn,
          updatedAt: i.updatedAt,
          ...(i.previous ? { previous: i.previous } : {}),
          ...(regionOf ? { regionOf } : {}),
          ...(i.alertPending ? { alertPending: i.alertPending } : {}),
        }),
      );
    const out = await importFindings(target, writes);
    const imported = new Set(out.imported);
    const changes = items.flatMap((i) =>
      i.workflow && imported.has(i.id) ? [{ id: i.id, ...i.workflow }] : [],
    );
    const workflowFailed = changes.length > 0 ? await updateWorkflow(target, changes) : [];
    return { delivered: out.imported, failed: [...out.failed, ...workflowFailed] };
  },
});

export const securityHubDefinition: SinkDefinition = {
  name: 'securityHub',
  settings: [
    {
      key: 'securityHub',
      env: 'REPLGUARD_SECURITY_HUB',
      kind: 'switch',
      help: 'record findings in Security Hub and read their previous state from it (default on)',
    },
  ],
  create: (settings, env) => (settings.securityHub ? securityHubSink(env) : undefined),
};
