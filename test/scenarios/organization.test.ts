import { organizationScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios(
  'Organization policies (SCPs and RCPs) in the permission chain',
  import.meta.url,
  organizationScenarios,
);
