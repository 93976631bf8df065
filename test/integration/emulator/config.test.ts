/**
 * Patch `config`: PutEvaluations without TestMode is accepted and stored (moto 5.2.5 raises
 * NotImplementedError), readable with GetComplianceDetailsByConfigRule and `GET /replguard/config-evaluations`.
 * The emulator takes the ResultToken as the rule name (real tokens are opaque and identify the rule).
 */
import {
  ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/emulator/config');
const config = withAccount(new ConfigServiceClient(emulatorClientConfig(endpoint)), account);
const RULE = 'replguard-versioning_destination_enabled';

const evaluation = (
  bucket: string,
  ComplianceType: 'COMPLIANT' | 'NON_COMPLIANT',
  at: string,
): Evaluation => ({
  ComplianceResourceType: 'AWS::S3::Bucket',
  ComplianceResourceId: bucket,
  ComplianceType,
  Annotation: `${bucket} is ${ComplianceType}`,
  OrderingTimestamp: new Date(at),
});

interface StoredEvaluation {
  AccountId: string;
  Region: string;
  ConfigRuleName: string;
  ComplianceResourceId: string;
  ComplianceType: string;
  Annotation?: string;
  OrderingTimestamp: string;
}

const readBack = async (query: Record<string, string>): Promise<StoredEvaluation[]> => {
  const response = await fetch(`${endpoint}/replguard/config-evaluations?${new URLSearchParams(query)}`);
  return ((await response.json()) as { Evaluations: StoredEvaluation[] }).Evaluations;
};

describe('Config evaluations (emulator)', () => {
  it('stores PutEvaluations (latest OrderingTimestamp per resource wins) and returns them per rule', async () => {
    const put = (Evaluations: Evaluation[]) =>
      config.send(new PutEvaluationsCommand({ ResultToken: RULE, Evaluations }));
    expect(
      (
        await put([
          evaluation('phi-prod', 'NON_COMPLIANT', '2026-03-01T10:00:00Z'),
          evaluation('phi-ok', 'COMPLIANT', '2026-03-01T10:00:00Z'),
        ])
      ).FailedEvaluations,
    ).toStrictEqual([]);
    await put([evaluation('phi-prod', 'COMPLIANT', '2026-03-01T09:00:00Z')]); // older: ignored
    await config.send(
      new PutEvaluationsCommand({
        ResultToken: RULE,
        TestMode: true,
        Evaluations: [evaluation('test-only', 'COMPLIANT', '2026-03-02T00:00:00Z')],
      }),
    );

    const { EvaluationResults } = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: RULE }),
    );
    expect(
      EvaluationResults?.map((r) => [
        r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
        r.ComplianceType,
        r.Annotation,
      ]),
    ).toStrictEqual([
      ['phi-prod', 'NON_COMPLIANT', 'phi-prod is NON_COMPLIANT'],
      ['phi-ok', 'COMPLIANT', 'phi-ok is COMPLIANT'],
    ]);
    expect(EvaluationResults?.[0]?.EvaluationResultIdentifier?.OrderingTimestamp).toStrictEqual(
      new Date('2026-03-01T10:00:00Z'),
    );

    const nonCompliant = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: RULE,
        ComplianceTypes: ['NON_COMPLIANT'],
      }),
    );
    expect(nonCompliant.EvaluationResults?.map((r) => r.ComplianceType)).toStrictEqual(['NON_COMPLIANT']);

    expect(await readBack({ accountId: account })).toStrictEqual([
      expect.objectContaining({
        AccountId: account,
        Region: 'us-east-1',
        ConfigRuleName: RULE,
        ComplianceResourceId: 'phi-prod',
        ComplianceType: 'NON_COMPLIANT',
        OrderingTimestamp: '2026-03-01T10:00:00Z',
      }),
      expect.objectContaining({ ComplianceResourceId: 'phi-ok', ComplianceType: 'COMPLIANT' }),
    ]);
  });

  it('refuses annotations over 256 characters and more than 100 evaluations, as AWS does', async () => {
    const long = {
      ...evaluation('phi-prod', 'NON_COMPLIANT', '2026-03-01T10:00:00Z'),
      Annotation: 'x'.repeat(257),
    };
    await expect(
      config.send(new PutEvaluationsCommand({ ResultToken: RULE, Evaluations: [long] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("'evaluations.1.member.annotation'"),
    });
    const many = Array.from({ length: 101 }, (_, i) =>
      evaluation(`b${i}`, 'COMPLIANT', '2026-03-01T10:00:00Z'),
    );
    await expect(
      config.send(new PutEvaluationsCommand({ ResultToken: RULE, Evaluations: many })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers NoSuchConfigRuleException for a rule with neither definition nor evaluations', async () => {
    await expect(
      config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'no-such-rule' })),
    ).rejects.toMatchObject({ name: 'NoSuchConfigRuleException' });
  });
});

describe('patch `config`: GetResourceConfigHistory timestamps', () => {
  it('arrive as the JSON protocol sends them, so the SDK can read an oversized item back', async () => {
    const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);
    await s3.send(new CreateBucketCommand({ Bucket: 'config-history-bucket' }));
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'config-history-bucket',
      }),
    );
    const item = out.configurationItems?.[0];
    expect(item?.resourceId).toBe('config-history-bucket');
    expect(item?.configurationItemCaptureTime).toBeInstanceOf(Date);
    expect(Number.isNaN(item?.configurationItemCaptureTime?.getTime())).toBe(false);
  });
});
