/**
 * Patch `securityhub`: GetFindings honours string Filters (moto ignores them) with its pagination;
 * BatchImportFindings checks what AWS documents (the finding's account, Security Hub enabled, required ASFF
 * fields, UpdatedAt later than the stored one, Workflow not changed by an import) and defaults RecordState/Workflow
 * of new findings. CreatedAt is not kept from the first import: an accepted update replaces it (moto as is).
 */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  type AwsSecurityFindingFilters,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/securityhub');
const hub = withAccount(new SecurityHubClient(emulatorClientConfig(endpoint)), account);
const PRODUCT = `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`;

const finding = (id: string, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: id,
  ProductArn: PRODUCT,
  GeneratorId: 'replguard/versioning_destination_enabled',
  AwsAccountId: account,
  Types: ['Software and Configuration Checks/AWS Security Best Practices'],
  CreatedAt: '2026-01-01T00:00:00.000Z',
  UpdatedAt: '2026-01-01T00:00:00.000Z',
  Severity: { Label: 'CRITICAL' },
  Title: 'Destination versioning suspended',
  Description: 'd',
  Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::phi-prod' }],
  Compliance: { Status: 'FAILED' },
  ...overrides,
});

const ids = async (Filters: AwsSecurityFindingFilters) =>
  ((await hub.send(new GetFindingsCommand({ Filters }))).Findings ?? []).map((f) => f.Id).sort();

describe('Security Hub findings (emulator)', () => {
  beforeAll(async () => {
    await hub.send(new EnableSecurityHubCommand({}));
    const imported = await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          finding('replguard/a'),
          finding('replguard/b', { Compliance: { Status: 'PASSED' } }),
          finding('replguard/c', {
            GeneratorId: 'replguard/kms_replica_key_configured',
            RecordState: 'ARCHIVED',
          }),
          finding('other/d', { GeneratorId: 'other' }),
        ],
      }),
    );
    expect(imported).toMatchObject({ FailedCount: 0, SuccessCount: 4 });
  });

  it('filters GetFindings by Id, GeneratorId, ProductArn, AwsAccountId, RecordState and ComplianceStatus', async () => {
    const eq = (Value: string) => [{ Value, Comparison: 'EQUALS' as const }];
    expect(await ids({ Id: eq('replguard/a') })).toStrictEqual(['replguard/a']);
    expect(await ids({ GeneratorId: [{ Value: 'replguard/', Comparison: 'PREFIX' }] })).toStrictEqual([
      'replguard/a',
      'replguard/b',
      'replguard/c',
    ]);
    expect(
      await ids({
        GeneratorId: eq('replguard/versioning_destination_enabled'),
        ComplianceStatus: eq('FAILED'),
      }),
    ).toStrictEqual(['replguard/a']);
    expect(
      await ids({ RecordState: eq('ACTIVE'), ProductArn: eq(PRODUCT), AwsAccountId: eq(account) }),
    ).toStrictEqual(['other/d', 'replguard/a', 'replguard/b']);
    expect(await ids({ Id: [...eq('replguard/a'), ...eq('other/d')] })).toStrictEqual([
      'other/d',
      'replguard/a',
    ]);
    expect(
      await ids({ GeneratorId: [{ Value: 'replguard/', Comparison: 'PREFIX_NOT_EQUALS' }] }),
    ).toStrictEqual(['other/d']);
  });

  it('pages filtered results by MaxResults/NextToken', async () => {
    const Filters: AwsSecurityFindingFilters = { Id: [{ Value: 'replguard/', Comparison: 'PREFIX' }] };
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ Filters, MaxResults: 2, NextToken }));
      expect(page.Findings?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.Findings ?? []).map((f) => f.Id ?? ''));
      NextToken = page.NextToken || undefined;
    } while (NextToken);
    expect(seen.sort()).toStrictEqual(['replguard/a', 'replguard/b', 'replguard/c']);
  });

  it('defaults RecordState ACTIVE and Workflow NEW on new findings', async () => {
    const [a] =
      (
        await hub.send(
          new GetFindingsCommand({ Filters: { Id: [{ Value: 'replguard/a', Comparison: 'EQUALS' }] } }),
        )
      ).Findings ?? [];
    expect(a).toMatchObject({
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      Compliance: { Status: 'FAILED' },
    });
  });

  it('reports findings missing required ASFF fields in FailedFindings', async () => {
    const { Title: _title, ...noTitle } = finding('replguard/no-title');
    const result = await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          noTitle as AwsSecurityFinding,
          finding('replguard/no-resource-type', { Resources: [{ Id: 'x', Type: '' }] }),
        ],
      }),
    );
    expect(result.FailedCount).toBe(2);
    expect(result.FailedFindings).toStrictEqual([
      {
        Id: 'replguard/no-title',
        ErrorCode: 'InvalidInput',
        ErrorMessage: expect.stringContaining("required property 'Title'"),
      },
      {
        Id: 'replguard/no-resource-type',
        ErrorCode: 'InvalidInput',
        ErrorMessage: expect.stringContaining("required property 'Resources[0].Type'"),
      },
    ]);
  });

  it('refuses findings for another account, and fails every finding while Security Hub is not enabled', async () => {
    await expect(
      hub.send(
        new BatchImportFindingsCommand({ Findings: [finding('x', { AwsAccountId: '111122223333' })] }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const other = testAccount('integration/emulator/securityhub#disabled');
    const disabled = withAccount(new SecurityHubClient(emulatorClientConfig(endpoint)), other);
    const result = await disabled.send(
      new BatchImportFindingsCommand({
        Findings: [finding('x', { AwsAccountId: other, ProductArn: PRODUCT })],
      }),
    );
    expect(result).toMatchObject({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [{ Id: 'x', ErrorCode: 'InvalidAccess' }],
    });
    await expect(disabled.send(new GetFindingsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessException',
    });
  });

  it('ignores an update whose UpdatedAt is not later, and keeps Workflow; a later one replaces CreatedAt too', async () => {
    const get = async (id: string) =>
      ((await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] } })))
        .Findings ?? [])[0];
    const stale = finding('replguard/b', {
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'RESOLVED' },
    });
    expect(await hub.send(new BatchImportFindingsCommand({ Findings: [stale] }))).toMatchObject({
      SuccessCount: 1,
    });
    expect(await get('replguard/b')).toMatchObject({ Compliance: { Status: 'PASSED' } });

    const later = { CreatedAt: '2026-02-01T00:00:00.000Z', UpdatedAt: '2026-02-01T00:00:00.000Z' };
    await hub.send(new BatchImportFindingsCommand({ Findings: [{ ...stale, ...later }] }));
    expect(await get('replguard/b')).toMatchObject({
      ...later,
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
    });
  });

  it('(patch securityhub-update) sets Workflow and Note with BatchUpdateFindings, leaving UpdatedAt; unknown findings are unprocessed', async () => {
    const get = async (id: string) =>
      ((await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] } })))
        .Findings ?? [])[0];
    const before = await get('replguard/a');
    const out = await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [
          { Id: 'replguard/a', ProductArn: PRODUCT },
          { Id: 'replguard/missing', ProductArn: PRODUCT },
        ],
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'Risk accepted until 2027-03-31 by jane', UpdatedBy: 'ReplGuard risk exceptions' },
      }),
    );
    expect(out.ProcessedFindings).toEqual([{ Id: 'replguard/a', ProductArn: PRODUCT }]);
    expect(out.UnprocessedFindings).toEqual([
      expect.objectContaining({
        FindingIdentifier: { Id: 'replguard/missing', ProductArn: PRODUCT },
        ErrorCode: 'FindingNotFound',
      }),
    ]);
    const after = await get('replguard/a');
    expect(after).toMatchObject({
      Workflow: { Status: 'SUPPRESSED' },
      Note: { Text: 'Risk accepted until 2027-03-31 by jane', UpdatedBy: 'ReplGuard risk exceptions' },
      UpdatedAt: before?.UpdatedAt,
    });
    // a later import by the provider keeps the customer's workflow (BatchImportFindings cannot change it)
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [finding('replguard/a', { UpdatedAt: '2026-05-01T00:00:00.000Z' })],
      }),
    );
    expect(await get('replguard/a')).toMatchObject({ Workflow: { Status: 'SUPPRESSED' } });
    await expect(
      hub.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [{ Id: 'replguard/a', ProductArn: PRODUCT }],
          Workflow: { Status: 'ARCHIVED' as never },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
  });
});
