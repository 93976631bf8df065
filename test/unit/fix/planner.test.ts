import { describe, expect, it } from 'vitest';
import { withFixes } from '../../../shared/fix/attach.js';
import { weakensDenies } from '../../../shared/fix/guard.js';
import { planFixes, resultKey, type PlanUnit } from '../../../shared/fix/planner.js';
import { applySteps } from '../../../shared/fix/simulate.js';
import { known, unknown } from '../../../shared/model/datum.js';
import type { Snapshot } from '../../../shared/model/snapshot.js';
import { evaluateSnapshot } from '../../../shared/engine/evaluate.js';
import {
  DST_ACCOUNT,
  DST_BUCKET,
  firstRule,
  healthySnapshot,
  ROLE_ARN,
  rolePolicy,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';

const evaluate = (s: Snapshot) => evaluateSnapshot(s);
const unit = (snapshot: Snapshot): PlanUnit => ({ snapshot, results: evaluate(snapshot) });
const failing = (s: Snapshot) =>
  evaluate(s)
    .filter((r) => r.status === 'NON_COMPLIANT')
    .map((r) => r.ruleId)
    .sort();

/** The role's inline policy without the statements that grant `actions` (as a person might have trimmed it). */
const roleWithout = (...actions: string[]) =>
  variant((s) => {
    const role = s.roles[ROLE_ARN];
    if (!role?.known || !role.value) throw new Error('no role');
    role.value.inlinePolicies = [
      {
        name: 'replication',
        document: {
          ...rolePolicy,
          Statement: (rolePolicy.Statement as Record<string, unknown>[]).map((st) => ({
            ...st,
            Action: [st.Action as string[]].flat().filter((a) => !actions.includes(a)),
          })),
        },
      },
    ];
  });

describe('planFixes', () => {
  it('has nothing to do for a healthy path', () => {
    const plan = planFixes([unit(healthySnapshot())], evaluate);
    expect(plan.steps).toEqual([]);
  });

  it('merges the fixes of two rules on one boundary into one policy version, carrying both grants', () => {
    const BOUNDARY = `arn:aws:iam::${SRC_ACCOUNT}:policy/replication-boundary`;
    const snapshot = variant((s) => {
      const role = s.roles[ROLE_ARN];
      if (!role?.known || !role.value) throw new Error('no role');
      role.value.permissionsBoundary = {
        name: 'replication-boundary',
        arn: BOUNDARY,
        document: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'S3Only', Effect: 'Allow', Action: ['s3:*'], Resource: '*' }],
        },
      };
    });
    expect(failing(snapshot)).toEqual(['kms_destination_encrypt_allowed', 'kms_source_decrypt_allowed']);
    const plan = planFixes([unit(snapshot)], evaluate);
    expect(plan.steps).toHaveLength(1);
    const [step] = plan.steps;
    expect(step?.command).toMatch(new RegExp(`^aws iam create-policy-version --policy-arn ${BOUNDARY} `));
    expect(step?.command).toContain('kms:Decrypt');
    expect(step?.command).toContain('kms:Encrypt');
    expect(step?.command).toContain('"Sid":"S3Only"');
    expect(step?.fixes).toEqual(['kms_destination_encrypt_allowed', 'kms_source_decrypt_allowed']);
    // Applied, the path passes: and planning again finds nothing left to do.
    const fixed = applySteps(snapshot, plan.internal);
    expect(failing(fixed)).toEqual([]);
    expect(planFixes([unit(fixed)], evaluate).steps).toEqual([]);
  });

  it('moves the KMS grant to the bucket ARN when the encryption fix turns S3 Bucket Keys on', () => {
    const snapshot = variant((s) => {
      const d = s.destinations[`arn:aws:s3:::${DST_BUCKET}`];
      if (!d) throw new Error('no destination');
      d.encryption = known({ algorithm: 'AES256', bucketKeyEnabled: false });
    });
    expect(failing(snapshot)).toEqual(['encryption_at_rest_kms']);
    const plan = planFixes([unit(snapshot)], evaluate);
    const kinds = plan.internal.map((s) => s.resourceType);
    expect(kinds).toEqual(['bucket-encryption', 'role-inline-policy']);
    const grant = plan.steps.find((s) => s.resourceType === 'role-inline-policy')?.command ?? '';
    expect(grant).toContain(`"arn:aws:s3:::${DST_BUCKET}"`);
    expect(plan.rounds).toBeGreaterThan(1);
    expect(failing(applySteps(snapshot, plan.internal))).toEqual([]);
  });

  it('keeps every existing statement when it writes a policy, and lists the result steps in order', () => {
    const snapshot = roleWithout('kms:Decrypt', 's3:GetReplicationConfiguration');
    const plan = planFixes([unit(snapshot)], evaluate);
    const results = withFixes(evaluate(snapshot), plan);
    const decrypt = results.find((r) => r.ruleId === 'kms_source_decrypt_allowed');
    expect(decrypt?.fix).toEqual({ steps: [1], proven: true });
    expect(decrypt?.remediation).toMatch(
      /Fix \(step 1 of the plan, proven by re-evaluation\): `aws iam put-role-policy /,
    );
    const source = results.find((r) => r.ruleId === 'role_source_permissions');
    expect(source?.fix?.steps).toEqual([1]);
    // One inline policy step holds both grants; the role's own policy is not touched.
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]?.command).toContain('--policy-name ReplGuardReplication');
  });

  it('creates a new destination for a same-Region pair with every setting the catalog requires', () => {
    const sameRegion = variant((s) => {
      const d = s.destinations[`arn:aws:s3:::${DST_BUCKET}`];
      if (!d) throw new Error('no destination');
      d.region = known(SRC_REGION);
      firstRule(s).destination.replicaKmsKeyId =
        `arn:aws:kms:${SRC_REGION}:${DST_ACCOUNT}:key/2222bbbb-0000-4000-8000-000000000002`;
    });
    const plan = planFixes([unit(sameRegion)], evaluate);
    const types = plan.internal.map((s) => s.resourceType);
    // Created with Object Lock (like the source), which turns versioning on by itself.
    expect(plan.steps[0]?.command).toContain('--object-lock-enabled-for-bucket');
    expect(types).not.toContain('bucket-versioning');
    for (const t of [
      'bucket',
      'kms-key',
      'bucket-policy',
      'bucket-encryption',
      'object-lock',
      'replication-configuration',
    ])
      expect(types).toContain(t);
    const fix = plan.fixes.get(
      resultKey({
        ruleId: 'replication_cross_region',
        accountId: SRC_ACCOUNT,
        bucket: 'phi-prod',
        destinationBucket: DST_BUCKET,
        replicationRuleId: 'phi-to-dr',
      }),
    );
    expect(fix?.proven).toBe(true);
    // The key is created under an alias; IAM grants name every key of that account and Region, never a placeholder.
    expect(plan.steps.map((s) => s.command).join('\n')).not.toContain('replguard-planned');
    expect(failing(applySteps(sameRegion, plan.internal))).toEqual([]);
  });

  it('writes a role shared by two source buckets once, with the grants both need', () => {
    const first = roleWithout('s3:GetReplicationConfiguration');
    const second = JSON.parse(JSON.stringify(first).replaceAll('phi-prod', 'phi-imaging')) as Snapshot;
    const plan = planFixes([unit(first), unit(second)], evaluate);
    const roleSteps = plan.steps.filter((s) => s.resourceType === 'role-inline-policy');
    expect(roleSteps).toHaveLength(1);
    expect(roleSteps[0]?.command).toContain('arn:aws:s3:::phi-prod"');
    expect(roleSteps[0]?.command).toContain('arn:aws:s3:::phi-imaging"');
    for (const s of [first, second]) expect(failing(applySteps(s, plan.internal))).toEqual([]);
  });

  it("leaves a deny in the role's own policy to a person: a decision, no command", () => {
    const snapshot = variant((s) => {
      const role = s.roles[ROLE_ARN];
      if (!role?.known || !role.value) throw new Error('no role');
      role.value.inlinePolicies.push({
        name: 'guardrail',
        document: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'NoReplicate', Effect: 'Deny', Action: 's3:ReplicateObject', Resource: '*' }],
        },
      });
    });
    const plan = planFixes([unit(snapshot)], evaluate);
    expect(plan.steps).toEqual([]);
    const [result] = withFixes(evaluate(snapshot), plan).filter((r) => r.status === 'NON_COMPLIANT');
    expect(result?.fix).toMatchObject({
      proven: false,
      steps: [],
      decision: expect.stringContaining('NoReplicate'),
    });
    expect(result?.remediation).toContain('Needs a decision:');
  });

  it('fixes what it can even when another failure of the same path waits on a decision', () => {
    const snapshot = variant((s) => {
      const d = s.destinations[`arn:aws:s3:::${DST_BUCKET}`];
      if (!d) throw new Error('no destination');
      d.versioning = known('Suspended');
      for (const scope of Object.keys(s.trails)) s.trails[scope] = known([]);
    });
    const results = withFixes(evaluate(snapshot), planFixes([unit(snapshot)], evaluate));
    expect(results.find((r) => r.ruleId === 'versioning_destination_enabled')?.fix).toEqual({
      steps: [1],
      proven: true,
    });
    expect(
      results.filter((r) => r.ruleId === 'cloudtrail_data_events' && r.status === 'NON_COMPLIANT'),
    ).toEqual([
      expect.objectContaining({
        fix: expect.objectContaining({ decision: expect.stringContaining('Create a multi-Region trail') }),
      }),
      expect.objectContaining({
        fix: expect.objectContaining({ decision: expect.stringContaining('Create a multi-Region trail') }),
      }),
    ]);
  });

  describe('backfill of the objects replication left behind', () => {
    const withBacklog = (edit: (s: Parameters<Parameters<typeof variant>[0]>[0]) => void) =>
      variant((s) => {
        edit(s);
        Object.assign(s, {
          objects: known({
            method: 'sample',
            exact: true,
            examined: 3,
            byRule: {
              [firstRule(s).id]: { failed: 2, missing: 1, pending: 0, stalePending: 0, completed: 0 },
            },
            unjudged: [],
            asOf: '2026-12-03T00:00:00.000Z',
          }),
        });
      });

    it('comes last, after every change replication needs, and is proven by re-evaluation', () => {
      const snapshot = withBacklog((s) => {
        const d = s.destinations[`arn:aws:s3:::${DST_BUCKET}`];
        if (d) d.versioning = known('Suspended');
      });
      const plan = planFixes([unit(snapshot)], evaluate);
      const backfill = plan.steps.at(-1);
      expect(backfill).toMatchObject({
        resourceType: 'batch-replication-job',
        command: expect.stringMatching(
          /^replguard backfill --bucket phi-prod --statuses FAILED,NONE --rule \S+ --region us-east-1 --yes$/,
        ),
        fixes: expect.arrayContaining(['replication_backlog_objects']),
      });
      const versioning = plan.steps.find((s) => s.resourceType === 'bucket-versioning');
      expect(backfill?.after).toContain(versioning?.step);
      const result = withFixes(evaluate(snapshot), plan).find(
        (r) => r.ruleId === 'replication_backlog_objects',
      );
      expect(result?.fix).toMatchObject({
        proven: true,
        steps: expect.arrayContaining([versioning?.step, backfill?.step]),
      });
    });

    it('waits while a failure that stops replication needs a decision', () => {
      const snapshot = withBacklog((s) => {
        const role = s.roles[ROLE_ARN];
        if (!role?.known || !role.value) throw new Error('no role');
        role.value.inlinePolicies.push({
          name: 'guardrail',
          document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'NoReplicate', Effect: 'Deny', Action: 's3:ReplicateObject', Resource: '*' }],
          },
        });
      });
      const plan = planFixes([unit(snapshot)], evaluate);
      expect(plan.steps.some((s) => s.resourceType === 'batch-replication-job')).toBe(false);
      const result = withFixes(evaluate(snapshot), plan).find(
        (r) => r.ruleId === 'replication_backlog_objects',
      );
      expect(result?.fix).toMatchObject({
        proven: false,
        decision: expect.stringContaining('replication must work first'),
      });
    });
  });

  it('says what it could not read instead of guessing a document', () => {
    const snapshot = variant((s) => {
      const d = s.destinations[`arn:aws:s3:::${DST_BUCKET}`];
      if (!d) throw new Error('no destination');
      d.versioning = known('Suspended');
      d.encryption = known({ algorithm: 'AES256', bucketKeyEnabled: false });
      d.policy = unknown('AccessDenied on s3:GetBucketPolicy', 's3:GetBucketPolicy');
    });
    const plan = planFixes([unit(snapshot)], evaluate);
    const results = withFixes(evaluate(snapshot), plan);
    // Versioning needs no document: it is fixed. Nothing writes the unreadable bucket policy.
    expect(results.find((r) => r.ruleId === 'versioning_destination_enabled')?.fix?.proven).toBe(true);
    expect(plan.steps.map((s) => s.resourceType)).not.toContain('bucket-policy');
  });

  it('writes ARNs in the partition of the Region (GovCloud)', () => {
    const gov = JSON.parse(
      JSON.stringify(healthySnapshot())
        .replaceAll('arn:aws:', 'arn:aws-us-gov:')
        .replaceAll('us-east-1', 'us-gov-west-1')
        .replaceAll('us-west-2', 'us-gov-east-1'),
    ) as Snapshot;
    expect(failing(gov)).toEqual([]);
    const broken = variant((s) => {
      const d = s.destinations[`arn:aws-us-gov:s3:::${DST_BUCKET}`];
      if (!d) throw new Error('no destination');
      d.policy = known({ Version: '2012-10-17', Statement: [] });
    }, gov);
    const plan = planFixes([unit(broken)], evaluate);
    const commands = plan.steps.map((s) => s.command).join('\n');
    expect(commands).toContain('arn:aws-us-gov:s3:::phi-dr');
    expect(commands).not.toMatch(/arn:aws:/);
    expect(failing(applySteps(broken, plan.internal))).toEqual([]);
  });
});

describe('weakensDenies (a fix never weakens a control)', () => {
  const tls = {
    Sid: 'TLS',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const guard = { Sid: 'Guard', Effect: 'Deny', Principal: '*', Action: 's3:ReplicateDelete', Resource: '*' };
  const doc = (...s: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: s });

  it('allows narrowing a deny to spare one principal', () => {
    const spared = { ...guard, Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } } };
    expect(weakensDenies(doc(tls, guard), doc(tls, spared))).toBeUndefined();
  });

  it('refuses a narrowing that leaves a deny applying to no one', () => {
    const onlyRole = { ...guard, Principal: { AWS: ROLE_ARN } };
    const spared = { ...onlyRole, Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } } };
    expect(weakensDenies(doc(onlyRole), doc(spared))).toMatch(/apply to no one/);
  });

  it('refuses to remove a deny, to loosen it otherwise, or to touch a TLS-only deny', () => {
    expect(weakensDenies(doc(tls, guard), doc(tls))).toMatch(/remove deny statement Guard/);
    expect(weakensDenies(doc(tls, guard), doc(tls, { ...guard, Action: 's3:PutObject' }))).toMatch(/loosen/);
    expect(
      weakensDenies(
        doc(tls),
        doc({ ...tls, Condition: { ...tls.Condition, ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } } }),
      ),
    ).toMatch(/TLS-only deny/);
  });
});
