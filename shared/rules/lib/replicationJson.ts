import type { ReplicationConfiguration, ReplicationFilter, ReplicationRule } from '../../model/snapshot.js';

/** The S3 API shape of a replication filter (V2 configuration). */
const apiFilter = (filter: ReplicationFilter): Record<string, unknown> => {
  const tags = (filter.tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));
  if (tags.length === 0) return { Prefix: filter.prefix ?? '' };
  if (!filter.prefix && tags.length === 1) return { Tag: tags[0] };
  return { And: { ...(filter.prefix ? { Prefix: filter.prefix } : {}), Tags: tags } };
};

/** The S3 API shape (`PutBucketReplication`) of one normalised rule. */
export const apiRule = (rule: ReplicationRule, priority: number): Record<string, unknown> => {
  const d = rule.destination;
  const selection = {
    ...(rule.sseKmsEncryptedObjects
      ? { SseKmsEncryptedObjects: { Status: rule.sseKmsEncryptedObjects } }
      : {}),
    ...(rule.replicaModifications ? { ReplicaModifications: { Status: rule.replicaModifications } } : {}),
  };
  return {
    ID: rule.id,
    Priority: priority,
    Status: rule.status,
    Filter: apiFilter(rule.filter),
    DeleteMarkerReplication: { Status: rule.deleteMarkerReplication ?? 'Disabled' },
    ...(Object.keys(selection).length > 0 ? { SourceSelectionCriteria: selection } : {}),
    ...(rule.existingObjectReplication
      ? { ExistingObjectReplication: { Status: rule.existingObjectReplication } }
      : {}),
    Destination: {
      Bucket: d.bucketArn,
      ...(d.account ? { Account: d.account } : {}),
      ...(d.storageClass ? { StorageClass: d.storageClass } : {}),
      ...(d.accessControlTranslationOwner
        ? { AccessControlTranslation: { Owner: d.accessControlTranslationOwner } }
        : {}),
      ...(d.replicaKmsKeyId ? { EncryptionConfiguration: { ReplicaKmsKeyID: d.replicaKmsKeyId } } : {}),
      ...(d.replicationTime
        ? {
            ReplicationTime: {
              Status: d.replicationTime.status,
              Time: { Minutes: d.replicationTime.minutes ?? 15 },
            },
          }
        : {}),
      ...(d.metrics
        ? {
            Metrics: {
              Status: d.metrics.status,
              ...(d.metrics.eventThresholdMinutes !== undefined
                ? { EventThreshold: { Minutes: d.metrics.eventThresholdMinutes } }
                : {}),
            },
          }
        : {}),
    },
  };
};

/** The S3 API shape of a whole configuration; rules without a priority get unused ones (V2 needs them). */
export const apiConfiguration = (config: ReplicationConfiguration): Record<string, unknown> => {
  const used = new Set(config.rules.flatMap((r) => (r.priority === undefined ? [] : [r.priority])));
  let next = 1;
  const freePriority = (): number => {
    while (used.has(next)) next++;
    used.add(next);
    return next;
  };
  return { Role: config.role, Rules: config.rules.map((r) => apiRule(r, r.priority ?? freePriority())) };
};

/** Replication metrics with the 15-minute event threshold (needed for failure events and pending metrics). */
export const ENABLED_METRICS = { status: 'Enabled', eventThresholdMinutes: 15 } as const;
