import { accessScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios(
  'what ReplGuard cannot read is UNKNOWN naming the permission, never COMPLIANT',
  import.meta.url,
  accessScenarios,
);
