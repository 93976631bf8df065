import { replicationBacklog } from './replication_backlog.js';
import { replicationCanaryFailed } from './replication_canary_failed.js';
import { replicationOperationsFailing } from './replication_operations_failing.js';
import { replicationThresholdMissed } from './replication_threshold_missed.js';
import type { RuntimeRule } from './types.js';

/** Every runtime rule; ids are a public contract like the catalog's. */
export const runtimeRules: readonly RuntimeRule[] = [
  replicationOperationsFailing,
  replicationThresholdMissed,
  replicationBacklog,
  replicationCanaryFailed,
];

export const runtimeRuleById = (id: string): RuntimeRule | undefined => runtimeRules.find((r) => r.id === id);

export {
  replicationBacklog,
  replicationCanaryFailed,
  replicationOperationsFailing,
  replicationThresholdMissed,
};
export type { RuntimeContext, RuntimeRule } from './types.js';
