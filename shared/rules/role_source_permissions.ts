import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { unevaluableResult } from './lib/unevaluable.js';
import { failureReasonsOf, sourceRequests } from '../policy/replication.js';
import {
  causeResources,
  deniedOf,
  describeDenials,
  remediationOf,
  verdictDetails,
} from '../policy/report.js';
import { existingReplicationRole } from './lib/replicationRole.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * The role reads the source: the replication configuration and listing on the bucket, each object version
 * with its ACL and tags (and its retention and legal hold under Object Lock). Judged with the role's
 * identity policies, its permissions boundary and the source bucket policy together.
 */
export const roleSourcePermissions = defineRule({
  id: 'role_source_permissions',
  title: 'The replication role may read the source bucket and its objects',
  problem: 'replication role cannot read the source',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.AccessControl],
  remediation: {
    text: 'Allow the replication role s3:GetReplicationConfiguration and s3:ListBucket on the source bucket and s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging (and s3:GetObjectRetention, s3:GetObjectLegalHold with Object Lock) on its objects, and make sure no boundary or bucket policy denies them.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html',
  },
  permissions: [
    's3:GetReplicationConfiguration',
    's3:GetBucketPolicy',
    's3:GetBucketObjectLockConfiguration',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    ...ORGANIZATION_PERMISSIONS,
  ],
  evaluate: (snapshot) =>
    perReplicationRule(roleSourcePermissions, snapshot, ({ rule, scope }, results) => {
      const src = snapshot.source;
      const chain = existingReplicationRole(snapshot, results, scope);
      if (!chain.ok) return chain.result;
      const roleInfo = chain.role;
      const roleRef = { ...scope, resources: chain.resources };
      const policy = need(src.policy, `the bucket policy of ${src.name}`, results, roleRef);
      if (!policy.ok) return policy.result;
      const lock = src.objectLock;
      const objectLock = lock.known && lock.value?.enabled === true;
      try {
        const org = checkWithOrganization(
          snapshot,
          sourceRequests(
            roleInfo,
            { name: src.name, accountId: src.accountId, policy: policy.value, region: src.region },
            rule,
            objectLock,
          ),
          { scp: true, rcp: true },
        );
        const { checks } = org;
        const denied = deniedOf(checks);
        const withDetails = { ...roleRef, details: { ...verdictDetails(checks), ...org.details } };
        if (denied.length > 0)
          return results.nonCompliant(
            `Replication role ${roleInfo.name} may not read source ${src.name} for rule ${rule.id} (to ${rule.destination.bucket}): ${describeDenials(
              checks,
            )}. Replication of these objects fails${failureReasonsOf(denied.map((c) => c.verdict.action))}.${org.note}`,
            `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
            {
              ...withDetails,
              resources: causeResources(checks, roleRef.resources),
              changes: changesOf(checks),
            },
          );
        if (!lock.known)
          return results.unknown(`the Object Lock configuration of ${src.name}`, lock, roleRef);
        return results.compliant(
          `Replication role ${roleInfo.name} may read ${src.name} for rule ${rule.id}: ${checks
            .map((c) => c.verdict.action)
            .join(', ')}.${org.note}`,
          withDetails,
        );
      } catch (error) {
        return unevaluableResult(results, `the policies of ${roleInfo.arn} and ${src.name}`, error, roleRef);
      }
    }),
});
