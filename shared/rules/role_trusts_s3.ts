import { changesOf } from '../policy/changes.js';
import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import { checkWithOrganization } from '../policy/organization.js';
import { unevaluableResult } from './lib/unevaluable.js';
import { roleOf, S3_SERVICE, trustRequest } from '../policy/replication.js';
import { causeResources, describeDenials, remediationOf, verdictDetails } from '../policy/report.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReplGuardS3AssumeRole',
      Effect: 'Allow',
      Principal: { Service: S3_SERVICE },
      Action: 'sts:AssumeRole',
    },
  ],
};

/** S3 replicates as the configuration's role: if it cannot assume it, every replication fails (AssumeRoleNotPermitted). */
export const roleTrustsS3 = defineRule({
  id: 'role_trusts_s3',
  title: 'The replication role exists and trusts Amazon S3',
  problem: 'replication role does not trust S3',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery, Hipaa.AccessControl],
  remediation: {
    text: 'Let s3.amazonaws.com assume the replication role (sts:AssumeRole in its trust policy), or point the replication configuration at a role that does, then re-replicate failed objects with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html',
  },
  permissions: ['s3:GetReplicationConfiguration', 'iam:GetRole', ...ORGANIZATION_PERMISSIONS],
  evaluate(snapshot) {
    const results = resultsFor(roleTrustsS3, snapshot);
    const src = snapshot.source;
    const replication = need(src.replication, `the replication configuration of ${src.name}`, results);
    if (!replication.ok) return [replication.result];
    const config = replication.value;
    if (!config || !config.rules.some((r) => r.status === 'Enabled'))
      return [results.notApplicable(`${src.name} has no enabled replication rule.`)];
    const roleRef = { resources: [{ type: 'AwsIamRole' as const, id: config.role }] };
    const role = need(roleOf(snapshot, config.role), `replication role ${config.role}`, results, roleRef);
    if (!role.ok) return [role.result];
    if (role.value === null) {
      const name = config.role.slice(config.role.lastIndexOf('/') + 1);
      return [
        results.nonCompliant(
          `Replication role ${config.role} of ${src.name} does not exist; every replication fails with AssumeRoleNotPermitted.`,
          `Create role ${name} with a trust policy for ${S3_SERVICE} (account ${src.accountId}), then grant it the replication permissions (role_source_permissions, role_destination_permissions report which).`,
          {
            ...roleRef,
            changes: [
              {
                kind: 'create-role',
                roleArn: config.role,
                roleName: name,
                accountId: config.role.split(':')[4] ?? src.accountId,
                trust: TRUST_POLICY.Statement,
              },
            ],
          },
        ),
      ];
    }
    try {
      // S3 is a service principal: no SCP restricts it, the RCPs of the role's account do (sts:AssumeRole).
      const org = checkWithOrganization(snapshot, [trustRequest(role.value, src.name, src.accountId)], {
        scp: false,
        rcp: true,
      });
      const { checks } = org;
      const [check] = checks;
      const scope = { ...roleRef, details: { ...verdictDetails(checks), ...org.details } };
      if (check?.verdict.allowed)
        return [
          results.compliant(
            `Replication role ${role.value.name} of ${src.name} trusts ${S3_SERVICE} (sts:AssumeRole).${org.note}`,
            scope,
          ),
        ];
      return [
        results.nonCompliant(
          `${S3_SERVICE} may not assume replication role ${role.value.name} of ${src.name}: ${describeDenials(checks)}; every replication fails with AssumeRoleNotPermitted.${org.note}`,
          `${remediationOf(checks)} Then re-replicate failed objects with S3 Batch Replication.`,
          { ...scope, resources: causeResources(checks, roleRef.resources), changes: changesOf(checks) },
        ),
      ];
    } catch (error) {
      return [unevaluableResult(results, `the trust policy of ${config.role}`, error, roleRef)];
    }
  },
});
