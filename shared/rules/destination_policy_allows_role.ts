import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { unevaluableResult } from './lib/unevaluable.js';
import { destinationRequests, failureReasonsOf, rolePrincipalOf, roleOf } from '../policy/replication.js';
import {
  causeResources,
  deniedOf,
  describeDenials,
  remediationOf,
  verdictDetails,
} from '../policy/report.js';
import { simulateResourcePolicy } from '../policy/simulate.js';
import { liveDestination } from './lib/buckets.js';
import { replicationRoleArn } from './lib/replicationRole.js';
import { need, perReplicationRule } from './result.js';
import { defineRule, Hipaa } from './types.js';

/**
 * Across accounts the destination bucket policy must grant the replication role what it writes; in any
 * account it must not deny it. (Same account, IAM alone can grant, so no bucket-policy grant is needed.)
 */
export const destinationPolicyAllowsRole = defineRule({
  id: 'destination_policy_allows_role',
  title: 'Destination bucket policies let the replication role write replicas',
  problem: 'destination bucket policy denies the replication role',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.AccessControl],
  remediation: {
    text: "Grant the source's replication role s3:ReplicateObject, s3:ReplicateTags (and s3:ReplicateDelete, s3:ObjectOwnerOverrideToBucketOwner as the rule needs) on the destination's objects in the destination bucket policy, and remove any statement that denies them.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html',
  },
  permissions: [
    's3:GetReplicationConfiguration',
    's3:GetBucketPolicy',
    'sts:AssumeRole',
    ...ORGANIZATION_PERMISSIONS,
  ],
  evaluate: (snapshot) =>
    perReplicationRule(destinationPolicyAllowsRole, snapshot, (path, results) => {
      const { rule, scope } = path;
      const src = snapshot.source;
      const live = liveDestination(path, results);
      if (!live.ok) return live.result;
      const destination = live.value;
      const bucketRef = { ...scope, resources: [{ type: 'AwsS3Bucket' as const, id: destination.arn }] };
      const policy = need(destination.policy, `the bucket policy of ${destination.name}`, results, bucketRef);
      if (!policy.ok) return policy.result;
      const roleArn = replicationRoleArn(snapshot);
      const role = roleOf(snapshot, roleArn);
      const principal = role.known && role.value ? role.value : rolePrincipalOf(roleArn);
      const crossAccount = principal.accountId !== destination.accountId;
      try {
        const region = destination.region.known ? destination.region.value : undefined;
        // The destination's side: its bucket policy and the RCPs of its account (SCPs: role_destination_permissions).
        const org = checkWithOrganization(
          snapshot,
          destinationRequests(
            principal,
            {
              name: destination.name,
              accountId: destination.accountId,
              policy: policy.value,
              ...(region ? { region } : {}),
            },
            rule,
          ),
          { scp: false, rcp: true },
          simulateResourcePolicy,
        );
        const { checks } = org;
        const denied = deniedOf(checks);
        const withDetails = {
          ...bucketRef,
          details: { crossAccount, ...verdictDetails(checks), ...org.details },
        };
        if (denied.length > 0)
          return results.nonCompliant(
            `${crossAccount ? `Destination ${destination.name} is in account ${destination.accountId}, another account than replication role ${principal.name}, so its bucket policy must grant the role; but` : `At destination ${destination.name},`} ${describeDenials(
              checks,
            )} (rule ${rule.id} from ${src.name}). Replication fails${failureReasonsOf(denied.map((c) => c.verdict.action))}.${org.note}`,
            `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
            {
              ...withDetails,
              resources: causeResources(checks, bucketRef.resources),
              changes: changesOf(checks),
            },
          );
        const actions = checks.map((c) => c.verdict.action).join(', ');
        return results.compliant(
          crossAccount
            ? `The bucket policy of ${destination.name} (account ${destination.accountId}) grants replication role ${principal.name} ${actions} (rule ${rule.id}).${org.note}`
            : `Destination ${destination.name} is in the role's account: IAM grants suffice, and its bucket policy denies none of ${actions} (rule ${rule.id}).${org.note}`,
          withDetails,
        );
      } catch (error) {
        return unevaluableResult(results, `the bucket policy of ${destination.name}`, error, bucketRef);
      }
    }),
});
