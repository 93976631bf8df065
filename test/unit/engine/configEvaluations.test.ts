/**
 * The Config rule invocation's evaluations (shared/engine/path.ts): one per judged bucket of the rule's own
 * account. PutEvaluations records an evaluation against a resource id of the rule's account (the Evaluation
 * has no account field), so a bucket of another account judged in the same run is left out: its finding is
 * recorded in its own account's Security Hub instead.
 */
import { describe, expect, it } from 'vitest';
import { configEvaluations, type Work } from '../../../shared/engine/path.js';
import { type Judgement, JudgementKind } from '../../../shared/engine/judge.js';
import { failing } from '../publish/fixtures.js';

const HOME = '111111111111';
const MEMBER = '333333333333';
const at = new Date('2026-01-01T00:00:00Z');
const work: Work = { config: { resultToken: 'token', orderingTimestamp: at } };

const judged = (bucket: string, accountId: string): Judgement => ({
  target: { bucket, accountId },
  kind: JudgementKind.Evaluated,
  results: [failing({ bucket, accountId })],
});

describe('configEvaluations', () => {
  it("evaluates the rule's own account's buckets and leaves other accounts' to their findings", () => {
    const evaluations = configEvaluations(
      work,
      [judged('phi-home', HOME), judged('phi-member', MEMBER)],
      HOME,
    );
    expect(evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'phi-home', ComplianceType: 'NON_COMPLIANT' }),
    ]);
  });

  it('evaluates nothing without a Config rule invocation', () => {
    expect(configEvaluations({}, [judged('phi-home', HOME)], HOME)).toEqual([]);
  });
});
