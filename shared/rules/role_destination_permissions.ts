import { unevaluableResult } from './lib/unevaluable.js';
import { destinationRequests, failureReasonsOf } from '../policy/replication.js';
import {
  causeResources,
  deniedOf,
  describeDenials,
  remediationOf,
  verdictDetails,
} from '../policy/report.js';
import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { simulatePrincipalPolicies } from '../policy/simulate.js';
import { existingReplicationRole } from './lib/replicationRole.js';
import { perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * The role's own policies (identity policies and permissions boundary) must allow writing replicas:
 * s3:ReplicateObject and s3:ReplicateTags, s3:ReplicateDelete when delete markers replicate, and
 * s3:ObjectOwnerOverrideToBucketOwner with owner override. The destination bucket policy is
 * destination_policy_allows_role's concern.
 */
export const roleDestinationPermissions = defineRule({
  id: 'role_destination_permissions',
  title: "The replication role's own policies allow writing replicas at the destination",
  problem: 'replication role cannot write replicas',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.AccessControl],
  remediation: {
    text: "Allow the replication role s3:ReplicateObject, s3:ReplicateTags (s3:ReplicateDelete with delete-marker replication, s3:ObjectOwnerOverrideToBucketOwner with owner override) on the destination's objects, in its identity policies and its permissions boundary.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html',
  },
  permissions: [
    's3:GetReplicationConfiguration',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    ...ORGANIZATION_PERMISSIONS,
  ],
  evaluate: (snapshot) =>
    perReplicationRule(roleDestinationPermissions, snapshot, ({ rule, destination, scope }, results) => {
      const src = snapshot.source;
      const name = rule.destination.bucket;
      const chain = existingReplicationRole(snapshot, results, scope);
      if (!chain.ok) return chain.result;
      const roleInfo = chain.role;
      const roleRef = { ...scope, resources: chain.resources };
      const accountId = destination?.accountId ?? rule.destination.account ?? src.accountId;
      try {
        const region = destination?.region.known ? destination.region.value : undefined;
        // The role's own side: its policies, boundary and the SCPs of its account (RCPs: destination_policy_allows_role).
        const org = checkWithOrganization(
          snapshot,
          destinationRequests(
            roleInfo,
            { name, accountId, policy: null, ...(region ? { region } : {}) },
            rule,
          ),
          { scp: true, rcp: false },
          simulatePrincipalPolicies,
        );
        const { checks } = org;
        const denied = deniedOf(checks);
        const withDetails = { ...roleRef, details: { ...verdictDetails(checks), ...org.details } };
        if (denied.length > 0)
          return results.nonCompliant(
            `Replication role ${roleInfo.name} of ${src.name} may not write replicas into ${name} for rule ${rule.id}: ${describeDenials(
              checks,
            )}. Replication fails${failureReasonsOf(denied.map((c) => c.verdict.action))}.${org.note}`,
            `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
            {
              ...withDetails,
              resources: causeResources(checks, roleRef.resources),
              changes: changesOf(checks),
            },
          );
        return results.compliant(
          `The policies of replication role ${roleInfo.name} allow ${checks
            .map((c) => c.verdict.action)
            .join(', ')} into ${name} for rule ${rule.id}.${org.note}`,
          withDetails,
        );
      } catch (error) {
        return unevaluableResult(results, `the policies of ${roleInfo.arn}`, error, roleRef);
      }
    }),
});
