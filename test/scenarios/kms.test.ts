import { kmsScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios('SSE-KMS replication failures', import.meta.url, kmsScenarios);
