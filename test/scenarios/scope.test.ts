import { scopeScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios(
  'scope: one answer for every caller; unreadable facts are UNKNOWN, replica-only buckets are not failed',
  import.meta.url,
  scopeScenarios,
);
