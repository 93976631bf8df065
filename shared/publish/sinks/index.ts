/**
 * The sink registry: every output ReplGuard can publish to. Which ones run is configuration
 * (`SinkSettings`: the functions' environment, stack parameters, CLI flags), never code in a handler. A new
 * output is one file in this folder, one line here, its setting in `SinkSettings` (and its stack parameter).
 */
import { backfillDefinition } from './backfill.js';
import { chatDefinition } from './chat.js';
import { configEvaluationsDefinition } from './configEvaluations.js';
import { pagerDutyDefinition } from './pagerDuty.js';
import { securityHubDefinition } from './securityHub.js';
import { snsAlertDefinition } from './snsAlert.js';
import type { Sink, SinkDefinition, SinkEnvironment, SinkSettings } from './types.js';

export const SINKS: readonly SinkDefinition[] = [
  securityHubDefinition,
  backfillDefinition,
  snsAlertDefinition,
  chatDefinition,
  pagerDutyDefinition,
  configEvaluationsDefinition,
];

/** The sinks `settings` switch on, in registry order. */
export const sinksFor = (settings: SinkSettings, env: SinkEnvironment): Sink[] =>
  SINKS.flatMap((definition) => {
    const sink = definition.create(settings, env);
    return sink ? [sink] : [];
  });

export type * from './types.js';
export { isActionSink, isAlertSink, isEvaluationSink, isStateSink } from './types.js';
