import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { replicationConfigured } from '../../../shared/rules/replication_configured.js';
import { denied, firstRule, RULE_ID, SRC_ACCOUNT, SRC_REGION, variant } from '../../fixtures/snapshots.js';
import { type Case, rulesOf } from './secondDestination.js';

describe('replication_configured', () => {
  it.each<Case>([
    ['an enabled rule', () => {}, 'COMPLIANT', /phi-to-dr → phi-dr/],
    [
      'no replication configuration',
      (s) => void (s.source.replication = known(null)),
      'NON_COMPLIANT',
      /no replication configuration/,
    ],
    [
      'only a disabled rule',
      (s) => void (firstRule(s).status = 'Disabled'),
      'NON_COMPLIANT',
      /no enabled rule \(phi-to-dr\)/,
    ],
    [
      'a disabled first rule and an enabled second (higher priority) rule',
      (s) => {
        firstRule(s).status = 'Disabled';
        rulesOf(s).push({
          ...structuredClone(firstRule(s)),
          id: 'second',
          priority: 5,
          status: 'Enabled',
          filter: { prefix: 'scans/' },
        });
      },
      'COMPLIANT',
      /1 enabled rule\(s\): second → phi-dr/,
    ],
    [
      'a replica destination only, without replication of its own',
      (s) => {
        s.source.replication = known(null);
        s.scope = { kind: 'replica-only', reason: 'tagged', replicatedFrom: ['phi-prod'] };
      },
      'NOT_APPLICABLE',
      /only a replica destination \(replicated from phi-prod\)/,
    ],
    [
      'a replica destination only, shown by its bucket policy (a source in another account)',
      (s) => {
        s.source.replication = known(null);
        s.scope = {
          kind: 'replica-only',
          reason: 'tagged',
          replicatedFrom: ['arn:aws:iam::111111111111:role/replicator'],
        };
      },
      'NOT_APPLICABLE',
      /its bucket policy lets arn:aws:iam::111111111111:role\/replicator write replicas into it/,
    ],
    [
      'a tagged bucket without replication whose replica evidence (its bucket policy) could not be read',
      (s) => {
        s.source.replication = known(null);
        s.scope = {
          kind: 'source',
          reason: 'tagged',
          missing: { what: 'whether phi-prod receives replicas', datum: denied('s3:GetBucketPolicy') },
        };
      },
      'UNKNOWN',
      /Could not read whether phi-prod receives replicas: AccessDenied on s3:GetBucketPolicy/,
    ],
    [
      'no replication configuration, and the scope tag could not be read',
      (s) => {
        s.source.replication = known(null);
        s.scope = {
          kind: 'undecided',
          reason: 'tags unreadable',
          missing: { what: 'the tags of phi-prod', datum: denied('s3:GetBucketTagging') },
        };
      },
      'UNKNOWN',
      /Could not read the tags of phi-prod: AccessDenied on s3:GetBucketTagging/,
    ],
    [
      'a replica destination only whose configuration cannot be read',
      (s) => {
        s.source.replication = denied('s3:GetReplicationConfiguration');
        s.scope = { kind: 'replica-only', reason: 'tagged', replicatedFrom: ['phi-prod'] };
      },
      'NOT_APPLICABLE',
    ],
    [
      'an unreadable configuration',
      (s) => void (s.source.replication = denied('s3:GetReplicationConfiguration')),
      'UNKNOWN',
      /AccessDenied on s3:GetReplicationConfiguration/,
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const results = replicationConfigured.evaluate(variant(change));
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe(status);
    if (message) expect(results[0]?.message).toMatch(message);
  });

  it('names the permission when the configuration cannot be read', () => {
    const [result] = replicationConfigured.evaluate(
      variant((s) => void (s.source.replication = denied('s3:GetReplicationConfiguration'))),
    );
    expect(result?.remediation).toContain('s3:GetReplicationConfiguration');
  });

  it('leaves the destination to a person, with a configuration template filled in for the bucket and KMS', () => {
    const [result] = replicationConfigured.evaluate(
      variant((s) => void (s.source.replication = known(null))),
    );
    expect(result?.remediation).toContain('Decide where the second copy lives');
    expect(result?.remediation).toContain('"Role":"arn:aws:iam::111111111111:role/<replication-role>"');
    expect(result?.remediation).toContain('"SseKmsEncryptedObjects":{"Status":"Enabled"}');
    expect(result?.remediation).toContain('"Metrics":{"Status":"Enabled","EventThreshold":{"Minutes":15}}');
    expect(result?.remediation).toContain('S3 Batch Replication');
    expect(result?.changes).toEqual([
      {
        kind: 'decision',
        accountId: SRC_ACCOUNT,
        text: 'Choose the disaster recovery destination of phi-prod (account, Region, bucket) and its replication role: ReplGuard does not pick where PHI is copied to.',
      },
    ]);
  });

  it('re-enables the disabled rules, leaving role and destination as they are', () => {
    const [result] = replicationConfigured.evaluate(variant((s) => void (firstRule(s).status = 'Disabled')));
    expect(result?.remediation).toBe(
      'Enable rule phi-to-dr, then replicate what was written meanwhile with S3 Batch Replication.',
    );
    expect(result?.details).toEqual({ disabledRules: [RULE_ID] });
    // Only the status is patched; the planner keeps the role, destination and other fields of the rule.
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, status: 'Enabled' }],
      },
    ]);
  });

  it('re-enables every disabled rule in one change', () => {
    const [result] = replicationConfigured.evaluate(
      variant((s) => {
        firstRule(s).status = 'Disabled';
        rulesOf(s).push({ ...structuredClone(firstRule(s)), id: 'second', priority: 5 });
      }),
    );
    expect(result?.remediation).toContain('Enable rules phi-to-dr, second');
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [
          { ruleId: RULE_ID, status: 'Enabled' },
          { ruleId: 'second', status: 'Enabled' },
        ],
      },
    ]);
  });

  it('leaves the destination to a person when the configuration has no rule', () => {
    const [result] = replicationConfigured.evaluate(
      variant((s) => {
        if (s.source.replication.known && s.source.replication.value) s.source.replication.value.rules = [];
      }),
    );
    expect(result?.status).toBe('NON_COMPLIANT');
    expect(result?.remediation).toContain('"Role":"arn:aws:iam::111111111111:role/phi-replication"');
    expect(result?.changes).toEqual([
      {
        kind: 'decision',
        accountId: SRC_ACCOUNT,
        text: 'Choose the disaster recovery destination of phi-prod: its replication configuration has no rule.',
      },
    ]);
  });
});
