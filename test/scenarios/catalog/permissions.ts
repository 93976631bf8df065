/**
 * Failure modes of the replication role's permission chain: trust, its own policies and boundary, and the
 * destination bucket policy.
 */
import { withoutActions, withoutStatements } from '../builder.js';
import { withStatement } from './helpers.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

export const permissionScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'trust-not-s3',
    description:
      'The replication role trusts ec2.amazonaws.com, not S3: every replication fails with AssumeRoleNotPermitted',
    kind: 'failure',
    build: pair({
      trustPolicy: (p) => ({
        ...p,
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
    expect: { nonCompliant: ['role_trusts_s3'], mentions: { role_trusts_s3: 's3.amazonaws.com' } },
  }),
  defineScenario({
    name: 'role-no-source-read',
    description:
      'The role lost s3:GetReplicationConfiguration and s3:GetObjectVersionForReplication on the source (SrcGetObjectNotPermitted)',
    kind: 'failure',
    build: pair({
      rolePolicy: (p) =>
        withoutActions(p, 's3:GetReplicationConfiguration', 's3:GetObjectVersionForReplication'),
    }),
    expect: {
      nonCompliant: ['role_source_permissions'],
      mentions: { role_source_permissions: 's3:GetObjectVersionForReplication' },
    },
  }),
  defineScenario({
    name: 'boundary-blocks-replicate',
    description: 'A permissions boundary on the role omits s3:ReplicateObject, so replicas cannot be written',
    kind: 'failure',
    build: pair({
      roleBoundary: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReplicationGuardrail',
            Effect: 'Allow',
            Action: [
              's3:Get*',
              's3:List*',
              's3:ReplicateDelete',
              's3:ReplicateTags',
              's3:ObjectOwnerOverrideToBucketOwner',
              'kms:Decrypt',
              'kms:Encrypt',
              'kms:GenerateDataKey',
            ],
            Resource: '*',
          },
        ],
      },
    }),
    expect: {
      nonCompliant: ['role_destination_permissions'],
      mentions: { role_destination_permissions: 's3:ReplicateObject' },
    },
  }),
  defineScenario({
    name: 'dst-policy-no-grant',
    description:
      'The cross-account DR bucket policy does not grant the source role s3:ReplicateObject/ReplicateDelete/ReplicateTags',
    kind: 'failure',
    build: pair({ destinationPolicy: (p) => withoutStatements(p, 'AllowReplication') }),
    expect: {
      nonCompliant: ['destination_policy_allows_role'],
      mentions: { destination_policy_allows_role: 's3:ReplicateObject' },
    },
  }),
  defineScenario({
    name: 'dst-policy-explicit-deny',
    description:
      'A "no deletes" statement in the DR bucket policy also denies s3:ReplicateDelete to the replication role',
    kind: 'failure',
    build: async (env, name) => {
      const destinationArn = `arn:aws:s3:::${env.uniqueName(`${name}-dr`)}`;
      const path = await env.replicatedPair({
        name,
        ...HEALTHY,
        crossAccount: false,
        destinationPolicy: (p) =>
          withStatement(p, {
            Sid: 'ImmutableArchive',
            Effect: 'Deny',
            Principal: '*',
            Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ReplicateDelete'],
            Resource: `${destinationArn}/*`,
          }),
      });
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: {
      nonCompliant: ['destination_policy_allows_role'],
      mentions: { destination_policy_allows_role: 's3:ReplicateDelete' },
    },
  }),
];
