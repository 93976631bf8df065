/**
 * Keys a fix creates. A new key's id is only known once it exists, so a plan names it by an alias
 * (`alias/replguard/<bucket>`): replication rules and default encryption take the alias ARN, and IAM grants
 * take every key of the account and Region (`key/*`) under the S3-only conditions the grant carries.
 * While planning, the key stands in the snapshot under a placeholder ARN that never reaches a command.
 */
import { arns, partitionOf } from '../model/partition.js';

const PLANNED = 'replguard-planned-';

/** The placeholder key ARN of a planned key while the plan is proven. */
export const plannedKeyArn = (region: string, accountId: string, alias: string): string =>
  arns.key(region, accountId, `${PLANNED}${alias.replace(/^alias\//, '').replace(/\//g, '.')}`);

export const isPlannedKeyArn = (arn: string): boolean => arn.includes(`:key/${PLANNED}`);

const PLACEHOLDER = /arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/replguard-planned-[A-Za-z0-9._-]+/g;

/**
 * `value` with every placeholder key ARN replaced by `key/*` of its account and Region, as the commands
 * write it (a JSON round trip; strings inside documents included).
 */
export const withoutPlaceholders = <T>(value: T): T =>
  JSON.parse(
    JSON.stringify(value).replace(
      PLACEHOLDER,
      (_m, partition: string, region: string, account: string) =>
        `arn:${partition}:kms:${region}:${account}:key/*`,
    ),
  ) as T;

/** The default key policy: the account's IAM administrators manage and may delegate use of the key. */
export const defaultKeyPolicyStatement = (region: string, accountId: string) => ({
  Sid: 'EnableIAMPolicies',
  Effect: 'Allow',
  Principal: { AWS: arns.root(partitionOf(region), accountId) },
  Action: 'kms:*',
  Resource: '*',
});
