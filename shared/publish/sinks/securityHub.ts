/**
 * The Security Hub sink: records findings as ASFF (BatchImportFindings under the account's default product)
 * and is where their previous state is read back from, so ReplGuard needs no table of its own. The state
 * sink: the pipeline runs it before any alert.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceId } from '../../aws/endpoint.js';
import { toAsff } from '../asff.js';
import { previousFromAsff, resultFromAsff } from '../asffState.js';
import { productArn } from '../links.js';
import { importFindings, readFindings, type SecurityHubTarget, updateWorkflow } from '../securityHub.js';
import type { SinkDefinition, SinkEnvironment, StateSink, StoredFinding } from './types.js';

const targetIn = (env: SinkEnvironment, region: string, home: string): SecurityHubTarget => ({
  client: env.factory.client(SecurityHubClient, ServiceId.SecurityHub, { region }),
  productArn: productArn(region, home),
  accountId: home,
  region,
});

export const securityHubSink = (env: SinkEnvironment): StateSink => ({
  name: 'securityHub',
  role: 'state',
  async read({ region, home, ids, buckets, scope, watch }) {
    const stored = await readFindings(targetIn(env, region, home), {
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
  async deliver({ region, home, items, regionOf }) {
    const target = targetIn(env, region, home);
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
