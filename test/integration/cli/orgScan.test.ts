/**
 * `replguard scan --org` against an emulated Organization: the management account (a healthy cross-account pair),
 * a member with the read-only role (an unreplicated PHI bucket), and a member without it, which becomes one
 * UNKNOWN result naming the role to deploy, never an abort. Every JSON result carries its account.
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { replguardCli } from './replguard.js';

const endpoint = inject('emulatorEndpoint');

interface Result {
  readonly ruleId: string;
  readonly status: string;
  readonly accountId: string;
  readonly bucket: string;
  readonly message: string;
  readonly remediation: string;
}

describe('replguard scan --org', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let withRole = '';
  let withoutRole = '';
  const replguard = replguardCli(endpoint, () => env.home);

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/orgScan') });
    const org = withAccount(new OrganizationsClient(emulatorClientConfig(endpoint)), env.home);
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const name of ['phi-research', 'sandbox'])
      await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.org` }));
    const accounts = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
    withRole = accounts.find((a) => a.Name === 'phi-research')?.Id ?? '';
    withoutRole = accounts.find((a) => a.Name === 'sandbox')?.Id ?? '';
    pair = await env.replicatedPair({ name: 'org-main', ...HEALTHY });
    await env.readOnlyRole(withRole);
    await env.bucket({ name: 'org-research', account: withRole, tags: { DataClassification: 'PHI' } });
  });

  const orgScan = async (...extra: string[]) => {
    const out = await replguard(['scan', '--org', '--format', 'json', ...extra]);
    return { ...out, results: (JSON.parse(out.stdout) as { results: Result[] }).results };
  };

  it('scans every ACTIVE account, each result naming its account, and shows progress on stderr', async () => {
    const { code, results, stderr } = await orgScan('--concurrency', '2');
    expect(code).toBe(1);
    expect(new Set(results.map((r) => r.accountId))).toEqual(new Set([env.home, withRole, withoutRole]));
    expect(results.filter((r) => r.bucket === pair.source.name && r.status === 'NON_COMPLIANT')).toEqual([]);
    const research = results.filter((r) => r.accountId === withRole && r.ruleId === 'replication_configured');
    expect(research.map((r) => r.status)).toEqual(['NON_COMPLIANT']);
    expect(stderr).toMatch(/scanning 3 account\(s\) of the Organization/);
    expect(stderr).toMatch(/\[3\/3\] account \d{12}: \d+ results/);
  });

  it('turns an account it cannot enter into one UNKNOWN result naming the role to deploy', async () => {
    const { results, stderr } = await orgScan();
    const sandbox = results.filter((r) => r.accountId === withoutRole);
    expect(sandbox).toHaveLength(1);
    expect(sandbox[0]).toMatchObject({ status: 'UNKNOWN', ruleId: 'replication_configured' });
    expect(sandbox[0]?.remediation).toContain(`arn:aws:iam::${withoutRole}:role/ReplGuardReadOnly`);
    expect(sandbox[0]?.remediation).toContain('infra/member-account.yml');
    expect(stderr).toContain(`account ${withoutRole} could not be entered`);
  });

  it('scans only the accounts given with --accounts', async () => {
    const { results } = await orgScan('--accounts', withRole);
    expect(new Set(results.map((r) => r.accountId))).toEqual(new Set([withRole]));
  });

  it('exits 2 naming the permission when Organizations refuses to list the accounts', async () => {
    const denied = replguardCli(endpoint, () => env.home, { deny: ['ORGANIZATIONS:ListAccounts'] });
    const { code, stderr } = await denied(['scan', '--org']);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(
      /Organizations ListAccounts.*organizations:ListAccounts/,
    );
  });

  it('refuses bad input before any AWS call', async () => {
    expect((await replguard(['scan', '--org', '--accounts', '12345'])).stderr).toMatch(
      /12-digit account ids/,
    );
    expect((await replguard(['scan', '--org', '--all'])).stderr).toMatch(
      /one of --bucket NAME, --all or --org/,
    );
    expect((await replguard(['scan', '--org', '--concurrency', '0'])).stderr).toMatch(
      /--concurrency must be/,
    );
    expect((await replguard(['scan', '--all', '--accounts', withRole])).stderr).toMatch(/go with --org/);
  });
});
