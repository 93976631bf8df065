import { describe, expect, it } from 'vitest';
import { type Datum, known } from '../../../shared/model/datum.js';
import type { ObjectReplicationStats, RuleObjectCounts } from '../../../shared/model/snapshot.js';
import { replicationBacklogObjects } from '../../../shared/rules/replication_backlog_objects.js';
import { denied, firstRule, RULE_ID, SRC_BUCKET, variant } from '../../fixtures/snapshots.js';

const counts = (c: Partial<RuleObjectCounts> = {}): RuleObjectCounts => ({
  failed: 0,
  missing: 0,
  pending: 0,
  stalePending: 0,
  completed: 10,
  ...c,
});

const stats = (
  c: Partial<RuleObjectCounts>,
  s: Partial<ObjectReplicationStats> = {},
): ObjectReplicationStats => ({
  method: 'sample',
  exact: true,
  examined: 12,
  byRule: { [RULE_ID]: counts(c) },
  unjudged: [],
  asOf: '2026-12-03T10:00:00.000Z',
  ...s,
});

/** Sets the snapshot's object statuses (a datum, as the collector reads it). */
const objects = (d: Datum<ObjectReplicationStats | null>) => (s: object) =>
  void Object.assign(s, { objects: d });

const judge = (objects: Parameters<typeof variant>[0]) => {
  const [result, ...rest] = replicationBacklogObjects.evaluate(variant(objects));
  expect(rest).toHaveLength(0);
  return result!;
};

describe('replication_backlog_objects', () => {
  it('passes when every covered version replicated, saying how it knows', () => {
    const r = judge(objects(known(stats({}))));
    expect(r.status).toBe('COMPLIANT');
    expect(r.message).toMatch(/exact: all 12 versions examined/);
  });

  it('fails on FAILED and never-replicated versions, with counts labelled exact and a backfill change', () => {
    const r = judge(objects(known(stats({ failed: 2, missing: 1500 }))));
    expect(r.status).toBe('NON_COMPLIANT');
    expect(r.message).toMatch(/2 FAILED and 1,500 never replicated .*exact/);
    expect(r.remediation).toContain(
      `replguard backfill --bucket ${SRC_BUCKET} --statuses FAILED,NONE --rule ${RULE_ID}`,
    );
    expect(r.changes).toEqual([
      expect.objectContaining({
        kind: 'backfill',
        bucket: SRC_BUCKET,
        ruleIds: [RULE_ID],
        statuses: ['FAILED', 'NONE'],
      }),
    ]);
    expect(r.details).toMatchObject({ failed: 2, missing: 1500, method: 'sample', exact: true });
  });

  it('labels a partial sample as an estimate and an inventory count with its date', () => {
    const sampled = judge(objects(known(stats({ missing: 3 }, { exact: false, examined: 1000 }))));
    expect(sampled.message).toMatch(/estimated: found in a sample of 1,000 versions/);
    const inventory = judge(
      objects(known(stats({ failed: 1 }, { method: 'inventory', asOf: '2026-12-01T00:00:00Z' }))),
    );
    expect(inventory.message).toMatch(/exact: S3 Inventory report of 2026-12-01/);
    expect(inventory.changes?.[0]).toMatchObject({ statuses: ['FAILED'] });
  });

  it('is UNKNOWN naming the permission when the objects cannot be listed or examined', () => {
    const r = judge(objects(denied('s3:GetObjectVersion')));
    expect(r.status).toBe('UNKNOWN');
    expect(r.remediation).toMatch(/s3:GetObjectVersion/);
    expect(r.details).toMatchObject({ missingPermission: 's3:GetObjectVersion' });
  });

  it('is NOT_APPLICABLE when the check is off, never examined, or the rule filters on tags', () => {
    expect(judge(objects(known(null))).status).toBe('NOT_APPLICABLE');
    expect(judge((s) => void delete s.objects).status).toBe('NOT_APPLICABLE');
    const tagged = judge((s) => {
      firstRule(s).filter = { prefix: '', tags: [{ key: 'k', value: 'v' }] };
      Object.assign(s, { objects: known(stats({}, { byRule: {}, unjudged: [RULE_ID] })) });
    });
    expect(tagged.status).toBe('NOT_APPLICABLE');
    expect(tagged.message).toMatch(/filters on object tags/);
  });

  it('does not count stale PENDING versions (replication_backlog watches those) but reports them', () => {
    const r = judge(objects(known(stats({ pending: 4, stalePending: 4 }))));
    expect(r.status).toBe('COMPLIANT');
    expect(r.details).toMatchObject({ stalePending: 4 });
  });
});
