import { describe, expect, it } from 'vitest';
import { contentFingerprint, findingIdOf, messageHash } from '../../../shared/findings/identity.js';
import {
  classify,
  planFindings,
  type Outcome,
  type PreviousFinding,
  type ResolveScope,
} from '../../../shared/findings/lifecycle.js';
import type { RuleResult, Status } from '../../../shared/rules/types.js';
import { failing } from '../publish/fixtures.js';

const NOW = new Date('2025-03-02T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

/** The stored state of `result` as it was last imported. */
const storedAs = (result: RuleResult, overrides: Partial<PreviousFinding> = {}): PreviousFinding => ({
  id: findingIdOf(result),
  state: result.status === 'NON_COMPLIANT' || result.status === 'UNKNOWN' ? 'ACTIVE' : 'RESOLVED',
  status: result.status,
  severity: result.severity,
  messageHash: messageHash(result.message),
  fingerprint: contentFingerprint(result),
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-02T11:00:00.000Z',
  suppressed: false,
  bucket: result.bucket,
  ruleId: result.ruleId,
  ...overrides,
});

const withStatus = (status: Status): RuleResult => failing({ status });

describe('classify (the transitions table)', () => {
  const active = storedAs(failing());
  const resolved = storedAs(failing(), { state: 'RESOLVED', status: 'COMPLIANT' });
  it.each<[string, RuleResult | undefined, PreviousFinding | undefined, Outcome]>([
    ['NON_COMPLIANT, no finding', withStatus('NON_COMPLIANT'), undefined, 'new'],
    ['UNKNOWN, no finding', withStatus('UNKNOWN'), undefined, 'new'],
    ['COMPLIANT, no finding: no noise', withStatus('COMPLIANT'), undefined, 'none'],
    ['NOT_APPLICABLE, no finding', withStatus('NOT_APPLICABLE'), undefined, 'none'],
    ['same failure again', failing(), active, 'unchanged'],
    ['severity changed', failing({ severity: 'HIGH' }), active, 'changed'],
    [
      'message changed',
      failing({ message: 'Versioning on destination phi-dr is not enabled.' }),
      active,
      'changed',
    ],
    ['NON_COMPLIANT became UNKNOWN', withStatus('UNKNOWN'), active, 'changed'],
    ['only details changed (a growing count)', failing({ details: { count: 7 } }), active, 'unchanged'],
    ['fixed', withStatus('COMPLIANT'), active, 'resolved'],
    ['no longer applicable', withStatus('NOT_APPLICABLE'), active, 'resolved'],
    ['not reported by a complete evaluation', undefined, active, 'resolved'],
    ['still fixed', withStatus('COMPLIANT'), resolved, 'unchanged'],
    ['broken again after a fix', failing(), resolved, 'new'],
    ['not reported, already resolved', undefined, resolved, 'unchanged'],
  ])('%s → %s', (_case, current, previous, expected) => {
    expect(classify(current, previous)).toBe(expected);
  });
});

const plan = (results: RuleResult[], previous: PreviousFinding[], resolveMissingFor?: ResolveScope) =>
  planFindings(results, new Map(previous.map((p) => [p.id, p])), {
    now: NOW,
    refreshAfterMs: DAY,
    ...(resolveMissingFor ? { resolveMissingFor } : {}),
  });

describe('planFindings', () => {
  it('alerts on transitions only and writes what changed', () => {
    const plans = plan([failing(), failing({ ruleId: 'versioning_source_enabled' })], [storedAs(failing())]);
    expect(plans.map((p) => [p.outcome, p.transition, p.write])).toEqual([
      ['unchanged', null, false],
      ['new', 'new', true],
    ]);
  });

  it('re-imports an unchanged ACTIVE finding when its details changed, without alerting', () => {
    const stored = storedAs(failing({ details: { count: 3 } }));
    const [p] = plan([failing({ details: { count: 4 } })], [stored]);
    expect(p).toMatchObject({ outcome: 'unchanged', transition: null, write: true });
  });

  it('refreshes an unchanged ACTIVE finding after the refresh interval, and not before', () => {
    const fresh = plan(
      [failing()],
      [storedAs(failing(), { updatedAt: new Date(NOW.getTime() - DAY + 1).toISOString() })],
    );
    const stale = plan(
      [failing()],
      [storedAs(failing(), { updatedAt: new Date(NOW.getTime() - DAY).toISOString() })],
    );
    expect(fresh[0]?.write).toBe(false);
    expect(stale[0]?.write).toBe(true);
  });

  it('never writes a COMPLIANT result that has no finding, nor a resolved one that stays resolved', () => {
    const compliant = failing({ status: 'COMPLIANT' });
    const other = failing({ status: 'COMPLIANT', ruleId: 'versioning_source_enabled' });
    const plans = plan([compliant, other], [storedAs(other)]);
    expect(plans.map((p) => [p.outcome, p.write])).toEqual([
      ['none', false],
      ['unchanged', false],
    ]);
  });

  it('keeps the most alarming result when several share an id', () => {
    const plans = plan([failing({ status: 'COMPLIANT' }), failing({ status: 'UNKNOWN' }), failing()], []);
    expect(plans).toHaveLength(1);
    expect(plans[0]?.result?.status).toBe('NON_COMPLIANT');
  });

  describe('resolveMissingFor', () => {
    const gone = failing({ destinationBucket: 'phi-old-dr', replicationRuleId: 'old-rule' });
    const elsewhere = failing({ bucket: 'phi-lab', destinationBucket: 'phi-lab-dr' });
    const runtime = failing({ ruleId: 'replication_backlog' });

    it.each<[string, ResolveScope | undefined, string[]]>([
      ['no scope: nothing resolved', undefined, []],
      ['the bucket', { buckets: ['phi-prod'] }, [findingIdOf(gone), findingIdOf(runtime)]],
      [
        'the bucket and one rule',
        { buckets: ['phi-prod'], ruleIds: ['replication_backlog'] },
        [findingIdOf(runtime)],
      ],
      [
        'one rule everywhere',
        { ruleIds: ['versioning_destination_enabled'] },
        [findingIdOf(gone), findingIdOf(elsewhere)],
      ],
      ['an empty scope', {}, []],
    ])('%s', (_case, scope, expected) => {
      const plans = plan(
        [failing()],
        [storedAs(failing()), storedAs(gone), storedAs(elsewhere), storedAs(runtime)],
        scope,
      );
      const resolved = plans.filter((p) => p.outcome === 'resolved');
      expect(resolved.map((p) => p.id).sort()).toEqual([...expected].sort());
      for (const p of resolved) {
        expect(p).toMatchObject({ transition: 'resolved', write: true });
        expect(p.result).toBeUndefined();
      }
    });

    it('leaves findings that are already resolved alone', () => {
      const plans = plan([], [storedAs(gone, { state: 'RESOLVED' })], { buckets: ['phi-prod'] });
      expect(plans).toEqual([]);
    });
  });
});
