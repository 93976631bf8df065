/**
 * Every broken scenario of the catalog, fixed with `replguard fix --apply --yes`: the plan is performed through
 * the AWS SDK (in other accounts through a role with write permissions there, --admin-role-name), then the
 * scenario is scanned again.
 */
import { describe, inject, it } from 'vitest';
import { run } from '../../shared/cli/main.js';
import type { ScanParameters } from '../../shared/model/snapshot.js';
import { testAccount } from '../emulator/accounts.js';
import { derivedAccount, scenario } from './builder.js';
import { emulatorFactoryOptions } from './builder/clients.js';
import { accountTrustPolicy } from './builder/policies.js';
import { createRole } from './builder/resources.js';
import { brokenScenarios, convergenceProblems, parametersOf, rescan, runScenario } from './fixes/converge.js';

const endpoint = inject('emulatorEndpoint');
const fileAccount = testAccount(import.meta.url);
const ADMIN = 'oncall-admin';

/** The CLI flags that give `fix` the scan parameters the scenario is judged with. */
const parameterFlags = (p: ScanParameters): string[] => [
  ...(p.requireRtc ? ['--require-rtc'] : []),
  ...(p.requireCrossRegion ? [] : ['--allow-same-region']),
  '--scope-tag',
  `${p.scopeTag.key}=${p.scopeTag.value}`,
  '--cross-account-role',
  p.crossAccountRoleName,
];

describe('replguard fix --apply --yes converges', () => {
  for (const definition of brokenScenarios)
    it.concurrent(definition.name, { timeout: 180_000 }, async ({ expect }) => {
      const account = derivedAccount(`${fileAccount}/${definition.name}`);
      const outcome = await runScenario(definition, endpoint, account);
      // The operator's admin role in every other account the plan acts in, trusting their own account.
      const env = await scenario(endpoint, { account });
      for (const other of new Set(outcome.report.judged.plan.steps.map((s) => s.accountId)))
        if (other !== account)
          await createRole(env, {
            name: ADMIN,
            account: other,
            trust: accountTrustPolicy(account),
            inline: {},
          }).catch(() => undefined);
      const target = outcome.target.all
        ? ['--all']
        : (outcome.target.buckets ?? []).flatMap((b) => ['--bucket', b]);
      let stdout = '';
      let stderr = '';
      const code = await run(
        [
          'fix',
          ...target,
          ...parameterFlags(parametersOf(definition)),
          '--apply',
          '--yes',
          '--admin-role-name',
          ADMIN,
        ],
        { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTty: false },
        emulatorFactoryOptions(endpoint, account),
      );
      const decided = (definition.expect.decisions ?? []).length > 0;
      expect(code, `${stdout}\n${stderr}`).toBe(decided ? 1 : 0);
      if (outcome.report.judged.plan.steps.length > 0) {
        expect(stdout).toContain('before:');
        expect(stdout).toMatch(decided ? /after: {2}\d+ failing: / : /after: {2}0 failing\n/);
        // Every change is logged, step by step.
        for (const s of outcome.report.judged.plan.steps) expect(stderr).toContain(`applied step ${s.step}:`);
      }
      const after = await rescan(outcome, endpoint);
      expect(convergenceProblems(definition, outcome.report.results, after.results)).toEqual([]);
    });
});
