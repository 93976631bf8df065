/**
 * The seed scenarios: a fully healthy setup, near-misses naive checkers get wrong, one or more failure mode
 * per rule of the catalog, and paths ReplGuard cannot read. Tests and `npm run demo` run them all.
 */
import { accessScenarios } from './access.js';
import { healthyScenarios } from './healthy.js';
import { kmsScenarios } from './kms.js';
import { monitoringScenarios } from './monitoring.js';
import { organizationScenarios } from './organization.js';
import { pathScenarios } from './path.js';
import { permissionScenarios } from './permissions.js';
import { protectionScenarios } from './protection.js';
import { scopeScenarios } from './scope.js';
import type { ScenarioDefinition } from './types.js';

/** Every scenario, in the order the demo prints them. */
export const scenarios: readonly ScenarioDefinition[] = [
  ...healthyScenarios,
  ...pathScenarios,
  ...permissionScenarios,
  ...kmsScenarios,
  ...protectionScenarios,
  ...monitoringScenarios,
  ...accessScenarios,
  ...scopeScenarios,
  ...organizationScenarios,
];

export const scenarioByName = (name: string): ScenarioDefinition | undefined =>
  scenarios.find((s) => s.name === name);

export {
  accessScenarios,
  healthyScenarios,
  kmsScenarios,
  monitoringScenarios,
  organizationScenarios,
  pathScenarios,
  permissionScenarios,
  protectionScenarios,
  scopeScenarios,
};
export type { ScanTarget, ScenarioDefinition, ScenarioExpectation, ScenarioKind } from './types.js';
