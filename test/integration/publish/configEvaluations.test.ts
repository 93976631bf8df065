import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CallCounter } from '../../../shared/aws/callCounter.js';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { ConfigEvaluationsError } from '../../../shared/publish/errors.js';
import {
  putEvaluations,
  toConfigEvaluation,
  type ConfigEvaluation,
} from '../../../shared/publish/configEvaluations.js';
import { testAccount } from '../../emulator/accounts.js';
import { scenario, type Scenario } from '../../scenarios/builder.js';
import { failing } from '../../unit/publish/fixtures.js';
import { enableSecurityHub, publishVia } from './inbox.js';

const endpoint = inject('emulatorEndpoint');

interface StoredEvaluation {
  readonly AccountId: string;
  readonly ConfigRuleName: string;
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: string;
  readonly Annotation?: string;
  readonly OrderingTimestamp: string;
}

/** The evaluations the emulator stored for this account and result token (its `/replguard/config-evaluations` readback). */
const storedEvaluations = async (account: string, resultToken: string): Promise<StoredEvaluation[]> => {
  const url = `${endpoint}/replguard/config-evaluations?accountId=${account}&resultToken=${encodeURIComponent(resultToken)}`;
  const body = (await (await fetch(url)).json()) as { Evaluations: StoredEvaluation[] };
  return body.Evaluations;
};

describe('AWS Config PutEvaluations (against the emulator)', () => {
  let env: Scenario;
  let counter: CallCounter;
  let factory: ClientFactory;
  const at = new Date('2025-03-02T12:00:00.000Z');

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/publish/configEvaluations') });
    counter = new CallCounter();
    factory = env.clientFactory({ counter });
  });

  it('sends 150 evaluations in two calls of at most 100, each stored with its compliance and annotation', async () => {
    const evaluations: ConfigEvaluation[] = Array.from({ length: 150 }, (_, i) =>
      toConfigEvaluation(`bucket-${i}`, i % 3 === 0 ? [failing({ bucket: `bucket-${i}` })] : [], {
        orderingTimestamp: at,
        inScope: i % 3 !== 2,
      }),
    );
    await putEvaluations(factory, 'replguard-batch-rule', evaluations);
    expect(counter.snapshot()['CONFIG_SERVICE:PutEvaluations']).toBe(2);
    const stored = await storedEvaluations(env.home, 'replguard-batch-rule');
    expect(stored).toHaveLength(150);
    const byBucket = new Map(stored.map((e) => [e.ComplianceResourceId, e]));
    expect(byBucket.get('bucket-0')).toMatchObject({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringMatching(
        /^Failing: versioning_destination_enabled\. Fix first: Run `aws s3api put-bucket-versioning/,
      ),
      OrderingTimestamp: '2025-03-02T12:00:00Z',
    });
    expect(byBucket.get('bucket-1')?.ComplianceType).toBe('NON_COMPLIANT'); // in scope, no results: fail closed
    expect(byBucket.get('bucket-2')?.ComplianceType).toBe('NOT_APPLICABLE');
    for (const e of stored) expect((e.Annotation ?? '').length).toBeLessThanOrEqual(256);
  });

  it('publishing sends the Config evaluations with the findings', async () => {
    await enableSecurityHub(env);
    const results = [failing({ accountId: env.home, bucket: 'cfg-src', status: 'COMPLIANT' })];
    const evaluation = toConfigEvaluation('cfg-src', results, { orderingTimestamp: at, inScope: true });
    const summary = await publishVia(
      factory,
      results,
      {},
      {
        evaluations: { resultToken: 'replguard-pipeline-rule', evaluations: [evaluation] },
      },
    );
    expect(summary).toMatchObject({ new: 0, failed: [] });
    expect(await storedEvaluations(env.home, 'replguard-pipeline-rule')).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'cfg-src', ComplianceType: 'COMPLIANT' }),
    ]);
  });

  it('throws a typed error naming the buckets when Config refuses the evaluations', async () => {
    const tooLong = {
      ...toConfigEvaluation('cfg-bad', [], { orderingTimestamp: at, inScope: false }),
      Annotation: 'x'.repeat(300),
    };
    const error = await putEvaluations(factory, 'replguard-bad-rule', [tooLong]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigEvaluationsError);
    expect(error).toMatchObject({ code: 'PUT_EVALUATIONS_FAILED', failedResourceIds: ['cfg-bad'] });
    expect((error as Error).message).toContain('cfg-bad');
  });
});
