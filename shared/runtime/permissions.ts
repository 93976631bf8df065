/**
 * What each function calls beyond the rules' declared reads (shared/iam derives those, plus s3:ListAllMyBuckets
 * for discovery) and beyond publishing (securityhub:GetFindings and BatchImportFindings on the product, sns:Publish
 * on the findings topic, sts:AssumeRole on the member role). For the deployment's least-privilege roles.
 */
export interface HandlerPermission {
  readonly action: string;
  /** What the resource is (the deployment names it in its template). */
  readonly resource: string;
  readonly why: string;
}

export const HANDLER_PERMISSIONS: Readonly<
  Record<
    'evaluateBucket' | 'onConfigChange' | 'onReplicationFailure' | 'onReplicationAlarm' | 'replicationCanary',
    readonly HandlerPermission[]
  >
> = {
  evaluateBucket: [
    {
      action: 'config:PutEvaluations',
      resource: '*',
      why: 'report each bucket to the Config rule (no resource-level permissions)',
    },
    {
      action: 'config:GetResourceConfigHistory',
      resource: '*',
      why: 'read the item of an oversized configuration change',
    },
    {
      action: 'lambda:InvokeFunction',
      resource: 'the evaluateBucket function itself',
      why: 'continue a scheduled run that is running out of time (asynchronous self-invocation with a cursor)',
    },
  ],
  onConfigChange: [
    {
      action: 'iam:ListEntitiesForPolicy',
      resource: 'customer managed policies (arn:aws:iam::<account>:policy/*)',
      why: 'find the roles a new default policy version applies to (CreatePolicyVersion, SetDefaultPolicyVersion)',
    },
  ],
  onReplicationFailure: [],
  onReplicationAlarm: [],
  replicationCanary: [
    {
      action: 's3:PutObject',
      resource: 'replguard-canary/* of any bucket, and nothing else (arn:aws:s3:::*/replguard-canary/*)',
      why: 'write the canary object and the canary state in opted-in sources',
    },
    {
      action: 's3:GetObject',
      resource: 'replguard-canary/* of any bucket (arn:aws:s3:::*/replguard-canary/*)',
      why: "HeadObject on canaries (replication status), their replicas, and the canary state; never an object's content",
    },
    {
      action: 's3:GetLifecycleConfiguration',
      resource: 'buckets (arn:aws:s3:::*)',
      why: 'check that a lifecycle rule expires the canary objects in sources and destinations',
    },
    {
      action: 'kms:GenerateDataKey',
      resource: "the account's KMS keys in the Region, through S3 only (kms:ViaService)",
      why: 'encrypt a canary written to an SSE-KMS source with its default key',
    },
  ],
};
