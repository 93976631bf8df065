/**
 * ReplGuard itself cannot read part of the path: what it cannot see must be UNKNOWN, naming the permission
 * that would let it read, and never COMPLIANT.
 */
import type { RuleResult } from '../../../shared/rules/types.js';
import { accountTrustPolicy, readOnlyPolicy } from '../builder/policies.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

/** Every rule that needs to read the destination account. */
const DESTINATION_SIDE = [
  'replication_destination_reachable',
  'replication_cross_region',
  'versioning_destination_enabled',
  'destination_policy_allows_role',
  'kms_destination_encrypt_allowed',
  'kms_replica_key_configured',
  'encryption_at_rest_kms',
  'tls_only_policy',
  'cloudtrail_data_events',
] as const;

/** Problems unless every UNKNOWN names sts:AssumeRole and no destination-side result is COMPLIANT. */
const namesAssumeRole = (results: readonly RuleResult[]): string[] => [
  ...results
    .filter((r) => r.status === 'UNKNOWN' && r.details?.missingPermission !== 'sts:AssumeRole')
    .map((r) => `${r.ruleId} is UNKNOWN without naming sts:AssumeRole: ${r.message}`),
  ...results
    .filter(
      (r) =>
        r.destinationBucket !== null &&
        r.status === 'COMPLIANT' &&
        (DESTINATION_SIDE as readonly string[]).includes(r.ruleId),
    )
    .map((r) => `${r.ruleId} is COMPLIANT for ${r.destinationBucket}, which could not be read`),
];

export const accessScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'readonly-role-missing',
    description:
      "ReplGuard's read-only role was never deployed in the DR account: the destination side is unknown",
    kind: 'access',
    build: pair({ readOnlyRole: false }),
    expect: { nonCompliant: [], unknown: DESTINATION_SIDE },
    verify: namesAssumeRole,
  }),
  defineScenario({
    name: 'readonly-role-untrusted',
    description:
      "The DR account's ReplGuard role trusts another account, not ReplGuard's: AssumeRole is denied",
    kind: 'access',
    build: async (env, name) => {
      const account = env.peer('dr');
      await env.role({
        name: env.crossAccountRoleName,
        account,
        trust: accountTrustPolicy(env.peer('audit')),
        inline: { 'replguard-read': readOnlyPolicy() },
      });
      const path = await env.replicatedPair({ name, ...HEALTHY, crossAccount: account, readOnlyRole: false });
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: { nonCompliant: [], unknown: DESTINATION_SIDE },
    verify: namesAssumeRole,
  }),
];
