import { monitoringScenarios, protectionScenarios } from './catalog/index.js';
import { describeScenarios } from './catalog/suite.js';

describeScenarios('protection failures (Object Lock, encryption, TLS)', import.meta.url, protectionScenarios);
describeScenarios('monitoring failures', import.meta.url, monitoringScenarios);
