/**
 * Small changes the scenario builder does not make itself, done afterwards through its clients, the way an
 * operator changes a working setup: overwrite a bucket's encryption, policy, tags or notifications, narrow a
 * trail's data events, rewrite a policy's actions with wildcards.
 */
import { DescribeTrailsCommand, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type NotificationConfiguration,
  PutBucketEncryptionCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import type { BucketHandle, Scenario } from '../builder.js';
import type { Policy, Statement } from '../builder/policies.js';

const s3Of = (env: Scenario, bucket: BucketHandle) => env.clients(bucket.account, bucket.region).s3;

/** Replaces the bucket's default encryption with SSE-S3 (AES256). */
export const useSseS3 = async (env: Scenario, bucket: BucketHandle): Promise<void> => {
  await s3Of(env, bucket).send(
    new PutBucketEncryptionCommand({
      Bucket: bucket.name,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
};

/** Replaces the bucket policy. */
export const putPolicy = async (
  env: Scenario,
  bucket: BucketHandle,
  policy: PolicyDocument,
): Promise<void> => {
  await s3Of(env, bucket).send(
    new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: JSON.stringify(policy) }),
  );
};

/** Replaces the bucket's tags. */
export const putTags = async (
  env: Scenario,
  bucket: BucketHandle,
  tags: Readonly<Record<string, string>>,
) => {
  await s3Of(env, bucket).send(
    new PutBucketTaggingCommand({
      Bucket: bucket.name,
      Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    }),
  );
};

/** Replaces the bucket's whole notification configuration. */
export const putNotifications = async (
  env: Scenario,
  bucket: BucketHandle,
  config: NotificationConfiguration,
) => {
  await s3Of(env, bucket).send(
    new PutBucketNotificationConfigurationCommand({ Bucket: bucket.name, NotificationConfiguration: config }),
  );
};

/** Every trail of `account` whose home is `region` now records only S3 data events of `readWrite` kind. */
export const narrowDataEvents = async (
  env: Scenario,
  account: string,
  region: string,
  readWrite: 'ReadOnly' | 'WriteOnly' | 'All',
): Promise<number> => {
  const { cloudtrail } = env.clients(account, region);
  const trails = (await cloudtrail.send(new DescribeTrailsCommand({}))).trailList ?? [];
  const own = trails.filter((t) => t.HomeRegion === region && t.Name);
  await Promise.all(
    own.map((t) =>
      cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: t.Name,
          EventSelectors: [
            {
              ReadWriteType: readWrite,
              IncludeManagementEvents: true,
              DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
            },
          ],
        }),
      ),
    ),
  );
  return own.length;
};

const asList = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : [String(value)]);

/**
 * The policy with each statement's actions rewritten: an action listed in `wildcards` is replaced by its
 * wildcard (duplicates removed), so `s3:GetObjectVersionAcl` and `s3:GetObjectVersionTagging` become one `s3:Get*`.
 */
export const withWildcards = (doc: Policy, wildcards: Readonly<Record<string, string>>): Policy => ({
  ...doc,
  Statement: doc.Statement.map((s): Statement => {
    if (s.Action === undefined) return s;
    const actions = [...new Set(asList(s.Action).map((a) => wildcards[a] ?? a))];
    return { ...s, Action: actions.length === 1 ? actions[0] : actions };
  }),
});

/** The policy with `statement` appended. */
export const withStatement = (doc: Policy, statement: Statement): Policy => ({
  ...doc,
  Statement: [...doc.Statement, statement],
});
