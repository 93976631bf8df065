/**
 * The table-driven vitest suite every scenario test file runs over its share of the catalog: build each
 * scenario in the emulator, scan it with the real engine, and hold the outcome to the scenario's promise.
 */
import { describe, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { derivedAccount } from '../builder.js';
import { problemsOf, runScenario, verdictOf } from './run.js';
import type { ScenarioDefinition } from './types.js';

/** Building a scenario under load (every file in parallel against one emulator) can take tens of seconds. */
const SCENARIO_TIMEOUT_MS = 90_000;

/**
 * Declares one concurrent test per scenario. The test file gets its own account (`testAccount(fileUrl)`); each
 * scenario a stable account derived from it, because trails, alarms and `--all` scans see the whole account.
 */
export const describeScenarios = (
  title: string,
  fileUrl: string,
  definitions: readonly ScenarioDefinition[],
): void => {
  const endpoint = inject('emulatorEndpoint');
  const fileAccount = testAccount(fileUrl);
  describe(title, () => {
    for (const definition of definitions)
      it.concurrent(
        `${definition.name}: ${definition.description}`,
        { timeout: SCENARIO_TIMEOUT_MS },
        async ({ expect }) => {
          const account = derivedAccount(`${fileAccount}/${definition.name}`);
          const outcome = await runScenario(definition, endpoint, account);
          expect(outcome.report.errors).toEqual([]);
          const { expected, actual } = verdictOf(outcome);
          expect(actual).toEqual(expected);
          expect(problemsOf(outcome)).toEqual([]);
        },
      );
  });
};
