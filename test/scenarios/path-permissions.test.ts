import { pathScenarios, permissionScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios('replication path failures', import.meta.url, pathScenarios);
describeScenarios('replication role permission failures', import.meta.url, permissionScenarios);
