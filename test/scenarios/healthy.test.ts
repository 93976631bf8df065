import { healthyScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios(
  'healthy setups and near-misses: no NON_COMPLIANT, no UNKNOWN',
  import.meta.url,
  healthyScenarios,
);
