/**
 * Every broken scenario of the catalog, fixed the way an on-call engineer fixes it: run each command the scan
 * prints, verbatim, in the order printed, with the AWS CLI (or `replguard backfill`) and credentials of the
 * account the step names; then scan again.
 */
import { describe, inject, it } from 'vitest';
import { testAccount } from '../emulator/accounts.js';
import { derivedAccount } from './builder.js';
import { runPrinted } from './fixes/printed.js';
import { brokenScenarios, convergenceProblems, rescan, runScenario } from './fixes/converge.js';

const endpoint = inject('emulatorEndpoint');
const fileAccount = testAccount(import.meta.url);

describe('printed fixes, run verbatim with the AWS CLI, converge', () => {
  for (const definition of brokenScenarios)
    it.concurrent(definition.name, { timeout: 180_000 }, async ({ expect }) => {
      const outcome = await runScenario(
        definition,
        endpoint,
        derivedAccount(`${fileAccount}/${definition.name}`),
      );
      const { plan } = outcome.report.judged;
      for (const step of plan.steps) {
        const ran = await runPrinted(endpoint, step.accountId, step.command);
        expect(ran, `step ${step.step} (${step.resource}): ${step.command}`).toMatchObject({ code: 0 });
      }
      const after = await rescan(outcome, endpoint);
      expect(convergenceProblems(definition, outcome.report.results, after.results)).toEqual([]);
    });
});
