/**
 * The scenario builder's promise, checked end to end: a healthy pair is collected and judged clean, and each
 * knob breaks exactly the thing it names (the rule that watches it reports NON_COMPLIANT).
 */
import { describe, expect, inject, it } from 'vitest';
import { collectSnapshot } from '../../../shared/collect/liveSnapshot.js';
import { evaluateSnapshot } from '../../../shared/engine/evaluate.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { testAccount } from '../../emulator/accounts.js';
import { type PairOptions, scenario, withoutActions, withoutStatements } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');
const env = await scenario(endpoint, { account: testAccount('integration/collect/scenarios') });

const healthy: Omit<PairOptions, 'name'> = {
  crossAccount: true,
  crossRegion: true,
  kms: true,
  objectLock: 'COMPLIANCE',
  rtc: true,
  monitored: true,
};

const judge = async (options: PairOptions): Promise<RuleResult[]> => {
  const path = await env.replicatedPair(options);
  return evaluateSnapshot(await collectSnapshot(env.session(), path.source.name));
};

const notClean = (results: RuleResult[]) =>
  results
    .filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN')
    .map((r) => `${r.ruleId}: ${r.message}`);

describe('scenario builder, collected and evaluated', () => {
  it('builds a healthy cross-account, cross-Region SSE-KMS, Object Lock, RTC, monitored pair that every rule passes', async () => {
    const results = await judge({ name: 'sc-healthy', ...healthy });
    expect(notClean(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'COMPLIANT').length).toBeGreaterThanOrEqual(15);
  });

  it('keeps the KMS conditions right with S3 Bucket Keys (bucket ARN as encryption context)', async () => {
    expect(notClean(await judge({ name: 'sc-bucket-key', ...healthy, bucketKey: true }))).toEqual([]);
  });

  it('refuses what S3 refuses: suspending versioning on an Object Lock bucket', async () => {
    await expect(
      env.replicatedPair({ name: 'sc-refused', ...healthy, sourceVersioning: 'Suspended' }),
    ).rejects.toThrow(/Object Lock/);
  });

  it.each<[string, Partial<PairOptions>, string]>([
    // S3 keeps versioning Enabled on Object Lock buckets, so these pairs have none
    [
      'source versioning suspended',
      { sourceVersioning: 'Suspended', objectLock: undefined },
      'versioning_source_enabled',
    ],
    [
      'destination versioning suspended',
      { destinationVersioning: 'Suspended', objectLock: undefined },
      'versioning_destination_enabled',
    ],
    ['destination deleted', { destinationExists: false }, 'replication_destination_reachable'],
    [
      'no Object Lock at the destination',
      { destinationObjectLock: false },
      'object_lock_destination_enabled',
    ],
    ['replica key disabled', { replicaKeyState: 'Disabled' }, 'kms_replica_key_configured'],
    [
      'role without kms:Decrypt',
      { rolePolicy: (p) => withoutActions(p, 'kms:Decrypt') },
      'kms_source_decrypt_allowed',
    ],
    [
      'role without s3:ReplicateObject',
      { rolePolicy: (p) => withoutActions(p, 's3:ReplicateObject') },
      'role_destination_permissions',
    ],
    [
      'destination policy without the replication statement',
      { destinationPolicy: (p) => withoutStatements(p, 'AllowReplication') },
      'destination_policy_allows_role',
    ],
    [
      'replica key policy without the source role',
      { replicaKeyPolicy: (p) => withoutStatements(p, 'AllowSourceReplicationRole') },
      'kms_destination_encrypt_allowed',
    ],
    [
      'rule not replicating KMS objects',
      { rule: (r) => ({ ...r, SourceSelectionCriteria: undefined }) },
      'kms_encrypted_objects_replicated',
    ],
    ['no monitoring', { monitored: false }, 'pending_replication_alarm'],
  ])('%s → %s is NON_COMPLIANT', async (label, change, ruleId) => {
    const name = `sc-${label.replace(/[^a-z]+/g, '-').slice(0, 30)}`.replace(/-$/, '');
    const results = await judge({ name, ...healthy, ...change });
    expect(results.filter((r) => r.ruleId === ruleId).map((r) => r.status)).toContain('NON_COMPLIANT');
  });
});
