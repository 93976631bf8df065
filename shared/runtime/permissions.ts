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

// --- BEGIN edge index (infra/stack/edges.yml): what onConfigChange and evaluateBucket's sweep shards call ---
/** The Organization-wide replication edge index (shared/collect/edgeStore.ts), when REPLGUARD_EDGES_TABLE is set. */
const EDGE_INDEX_PERMISSIONS: readonly HandlerPermission[] = [
  {
    action: 'dynamodb:Query',
    resource: 'the edge index table and its indexes',
    why: 'find the sources a change affects (destination, role, key lookups) and a shard’s sources to rebuild',
  },
  {
    action: 'dynamodb:GetItem',
    resource: 'the edge index table',
    why: 'read the lookups a source wrote before, to delete the stale ones when it changes',
  },
  {
    action: 'dynamodb:BatchWriteItem',
    resource: 'the edge index table',
    why: 'write and delete the lookup and source items of a source (25 at a time, unprocessed ones retried)',
  },
  {
    action: 'kms:Decrypt',
    resource: 'the ReplGuard key, through DynamoDB only (kms:ViaService)',
    why: 'the table is encrypted with the stack key: DynamoDB uses it on the function’s behalf',
  },
];
// --- END edge index ---

export const HANDLER_PERMISSIONS: Readonly<
  Record<
    | 'evaluateBucket'
    | 'onConfigChange'
    | 'onReplicationFailure'
    | 'onReplicationAlarm'
    | 'replicationCanary'
    | 'sweepShards'
    | 'sweepSummary',
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
    ...EDGE_INDEX_PERMISSIONS,
  ],
  onConfigChange: [
    {
      action: 'iam:ListEntitiesForPolicy',
      resource: 'customer managed policies (arn:aws:iam::<account>:policy/*)',
      why: 'find the roles a new default policy version applies to (CreatePolicyVersion, SetDefaultPolicyVersion)',
    },
    ...EDGE_INDEX_PERMISSIONS,
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
  // The Organization sweep's tasks (infra/stack/sweep.yml): neither reads buckets nor publishes.
  sweepShards: [
    {
      action: 'organizations:ListAccounts',
      resource: '*',
      why: "list the Organization's ACTIVE accounts to shard the sweep (no resource-level permissions)",
    },
  ],
  sweepSummary: [
    {
      action: 's3:GetObject',
      resource: 'sweeps/* of the sweep results bucket (replguard-<stage>-sweep-<account>-<region>)',
      why: "read the Distributed Map run's manifest and result files to total them",
    },
  ],
};
