import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import { roleDestinationPermissions } from '../../../shared/rules/role_destination_permissions.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import {
  denied,
  DST_ARN,
  DST_BUCKET,
  firstRule,
  type MutableSnapshot,
  ROLE_ARN,
  RULE_ID,
  variant,
} from '../../fixtures/snapshots.js';
import {
  destinationIn,
  evaluateOne,
  healthyStatements,
  roleIn,
  setRoleStatements,
  statementsWithout,
} from '../policy/snapshotChanges.js';
import { ARCHIVE_BUCKET, ARCHIVE_RULE, addSecondDestination, outcomes } from './secondDestination.js';

const replicateStar = (s: MutableSnapshot) =>
  setRoleStatements(s, [
    ...healthyStatements().filter((st) => !String(st.Action).includes('Replicate')),
    {
      Effect: 'Allow',
      Action: ['s3:Replicate*', 's3:ObjectOwnerOverrideToBucketOwner'],
      Resource: `${DST_ARN}/*`,
    },
  ]);

describe('role_destination_permissions', () => {
  it.each<[string, (s: MutableSnapshot) => void, RuleResult['status'], RegExp]>([
    [
      'the healthy role',
      () => undefined,
      'COMPLIANT',
      /allow s3:ReplicateObject, s3:ReplicateTags, s3:ReplicateDelete, s3:ObjectOwnerOverrideToBucketOwner into phi-dr/,
    ],
    ['s3:Replicate* instead of each action', replicateStar, 'COMPLIANT', /allow/],
    [
      'no bucket-policy grant at the cross-account destination (not this rule’s concern)',
      (s) => void (destinationIn(s).policy = known(null)),
      'COMPLIANT',
      /allow/,
    ],
    [
      'no s3:ReplicateDelete while delete markers replicate',
      (s) => setRoleStatements(s, statementsWithout('s3:ReplicateDelete')),
      'NON_COMPLIANT',
      /may not write replicas into phi-dr for rule phi-to-dr: s3:ReplicateDelete on arn:aws:s3:::phi-dr\/replguard-sample-object: not granted by the identity policies of role phi-replication \(implicit deny\).*DstDelObjNotPermitted/,
    ],
    [
      'no s3:ReplicateDelete, delete markers not replicated',
      (s) => {
        setRoleStatements(s, statementsWithout('s3:ReplicateDelete'));
        firstRule(s).deleteMarkerReplication = 'Disabled';
      },
      'COMPLIANT',
      /allow s3:ReplicateObject, s3:ReplicateTags, s3:ObjectOwnerOverrideToBucketOwner/,
    ],
    [
      'no s3:ObjectOwnerOverrideToBucketOwner with owner override',
      (s) => setRoleStatements(s, statementsWithout('s3:ObjectOwnerOverrideToBucketOwner')),
      'NON_COMPLIANT',
      /s3:ObjectOwnerOverrideToBucketOwner on .*DstPutObjectNotPermitted/,
    ],
    [
      'no s3:ObjectOwnerOverrideToBucketOwner, no owner override',
      (s) => {
        setRoleStatements(s, statementsWithout('s3:ObjectOwnerOverrideToBucketOwner'));
        delete firstRule(s).destination.accessControlTranslationOwner;
      },
      'COMPLIANT',
      /allow/,
    ],
    [
      'grants on another bucket only',
      (s) =>
        setRoleStatements(
          s,
          healthyStatements().map((st) =>
            String(st.Resource) === `${DST_ARN}/*` ? { ...st, Resource: 'arn:aws:s3:::phi-dr-old/*' } : st,
          ),
        ),
      'NON_COMPLIANT',
      /s3:ReplicateObject, s3:ReplicateTags, s3:ReplicateDelete, s3:ObjectOwnerOverrideToBucketOwner on/,
    ],
    [
      'an explicit deny of deletes in the role policy',
      (s) =>
        setRoleStatements(s, [
          ...healthyStatements(),
          { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:*Delete*', Resource: '*' },
        ]),
      'NON_COMPLIANT',
      /s3:ReplicateDelete on .*explicitly denied by the identity policies of role phi-replication \(inline policy replication: NoDeletes\)/,
    ],
    [
      'a permissions boundary without s3:ReplicateTags',
      (s) =>
        void (roleIn(s).permissionsBoundary = {
          name: 'phi-boundary',
          document: { Statement: [{ Effect: 'Allow', NotAction: 's3:ReplicateTags', Resource: '*' }] },
        }),
      'NON_COMPLIANT',
      /s3:ReplicateTags on .*not granted by the permissions boundary phi-boundary/,
    ],
    ['a missing role', (s) => void (s.roles[ROLE_ARN] = known(null)), 'NOT_APPLICABLE', /role_trusts_s3/],
  ])('%s → %s', (_name, change, status, message) => {
    const result = evaluateOne(roleDestinationPermissions, variant(change));
    expect(result).toMatchObject({ status, destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result.message).toMatch(message);
  });

  it('gives the statement to add to the role for every denied action at once', () => {
    const result = evaluateOne(
      roleDestinationPermissions,
      variant((s) => setRoleStatements(s, statementsWithout('s3:ReplicateDelete', 's3:ReplicateTags'))),
    );
    expect(result.remediation).toContain(
      '{"Sid":"ReplGuardReplicationDestinationObjects","Effect":"Allow","Action":["s3:ReplicateTags","s3:ReplicateDelete"],"Resource":"arn:aws:s3:::phi-dr/*"}',
    );
    expect(result.resources).toEqual([{ type: 'AwsIamRole', id: ROLE_ARN }]);
  });

  it('judges each destination on its own', () => {
    const snapshot = variant(addSecondDestination);
    expect(outcomes(roleDestinationPermissions.evaluate(snapshot))).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'NON_COMPLIANT'],
    ]);
    const granted = variant((s) => {
      addSecondDestination(s);
      setRoleStatements(s, [
        ...healthyStatements(),
        { Effect: 'Allow', Action: 's3:Replicate*', Resource: `arn:aws:s3:::${ARCHIVE_BUCKET}/archive/*` },
      ]);
    });
    expect(outcomes(roleDestinationPermissions.evaluate(granted)).map((o) => o[2])).toEqual([
      'COMPLIANT',
      'COMPLIANT',
    ]);
  });

  it('is UNKNOWN, naming the permission, when the role cannot be read', () => {
    const result = evaluateOne(
      roleDestinationPermissions,
      variant((s) => void (s.roles[ROLE_ARN] = denied('iam:ListAttachedRolePolicies'))),
    );
    expect(result.status).toBe('UNKNOWN');
    expect(result.remediation).toContain('iam:ListAttachedRolePolicies');
  });
});
