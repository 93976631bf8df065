/**
 * The request context S3 presents while replicating: what IAM, bucket and key policy conditions see when
 * the replication role reads the source, writes the destination, and S3 calls KMS on its behalf.
 */
import { type Partition, partitionOf, partitionOfArn, serviceHost } from '../model/partition.js';
import type { ContextValues, PolicyCondition } from './types.js';

/** The object name evaluated; prefixed with the replication rule's filter prefix so prefix-scoped grants apply. */
export const SAMPLE_OBJECT_NAME = 'replguard-sample-object';

/** A sample object key inside the rule's filter prefix: `records/replguard-sample-object`. */
export const sampleObjectKey = (prefix: string | undefined): string => `${prefix ?? ''}${SAMPLE_OBJECT_NAME}`;

export const bucketArnOf = (bucket: string, partition: Partition = 'aws'): string =>
  `arn:${partition}:s3:::${bucket}`;

export const objectArnOf = (bucket: string, key: string, partition: Partition = 'aws'): string =>
  `arn:${partition}:s3:::${bucket}/${key}`;

/** The ARN pattern covering every object under `prefix`: `arn:aws:s3:::bucket/prefix*`. */
export const objectsArnOf = (
  bucket: string,
  prefix: string | undefined,
  partition: Partition = 'aws',
): string => `arn:${partition}:s3:::${bucket}/${prefix ?? ''}*`;

export interface ReplicationContextInput {
  /** The replication role. */
  readonly role: { readonly arn: string; readonly accountId: string };
  /** The bucket whose object is read or written. */
  readonly bucket: string;
  /** That bucket's Region (S3 calls KMS there). */
  readonly region: string;
  /** The object key evaluated (see `sampleObjectKey`). */
  readonly objectKey: string;
  /** S3 Bucket Keys on for that bucket: the KMS encryption context is then the bucket ARN, not the object ARN. */
  readonly bucketKeyEnabled?: boolean;
}

/** The `kms:EncryptionContext:aws:s3:arn` S3 uses: the object ARN, or the bucket ARN with Bucket Keys. */
export const encryptionContextArn = (input: ReplicationContextInput): string => {
  const partition = partitionOfArn(input.role.arn);
  return input.bucketKeyEnabled
    ? bucketArnOf(input.bucket, partition)
    : objectArnOf(input.bucket, input.objectKey, partition);
};

/**
 * The request context of a replication request: `s3` for the role's S3 calls on the buckets, `kms` for
 * the KMS calls S3 makes with the role's credentials (`kms:ViaService` in the bucket's Region, the
 * `aws:s3:arn` encryption context).
 */
export const s3ReplicationContext = (
  service: 's3' | 'kms',
  input: ReplicationContextInput,
): ContextValues => {
  const principal = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalArn': input.role.arn,
    'aws:PrincipalAccount': input.role.accountId,
    'aws:PrincipalType': 'AssumedRole',
    // S3 calls KMS, and serves the role's S3 calls, in the bucket's Region (SCPs pinning Regions compare it).
    ...(input.region ? { 'aws:RequestedRegion': input.region } : {}),
  };
  if (service === 's3') return principal;
  return {
    ...principal,
    'aws:ViaAWSService': 'true',
    'kms:ViaService': serviceHost('s3', input.region),
    'kms:CallerAccount': input.role.accountId,
    'kms:EncryptionContext:aws:s3:arn': encryptionContextArn(input),
    'kms:EncryptionContextKeys': ['aws:s3:arn'],
  };
};

/** The context S3 presents when it assumes the replication role of `sourceBucket`. */
export const s3AssumeRoleContext = (
  sourceBucket: string,
  sourceAccount: string,
  partition: Partition = 'aws',
): ContextValues => ({
  'aws:SecureTransport': 'true',
  'aws:SourceAccount': sourceAccount,
  'aws:SourceArn': bucketArnOf(sourceBucket, partition),
});

/**
 * The condition AWS's replication guides put on KMS grants: only through S3 in the bucket's Region, only
 * for that bucket's objects under the rule's prefix (and the bucket ARN itself when Bucket Keys are on;
 * objects written before Bucket Keys were enabled still carry their object ARN).
 */
export const kmsGrantCondition = (input: {
  readonly bucket: string;
  readonly region: string;
  readonly prefix?: string;
  readonly bucketKeyEnabled?: boolean;
}): PolicyCondition => {
  const partition = partitionOf(input.region);
  const objects = objectsArnOf(input.bucket, input.prefix, partition);
  return {
    StringEquals: { 'kms:ViaService': serviceHost('s3', input.region) },
    StringLike: {
      'kms:EncryptionContext:aws:s3:arn': input.bucketKeyEnabled
        ? [bucketArnOf(input.bucket, partition), objects]
        : objects,
    },
  };
};
