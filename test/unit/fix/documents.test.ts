import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeAdditions,
  plannedDocument,
  withAdditions,
  withExemptions,
} from '../../../shared/fix/documents.js';
import type { Statement } from '../../../shared/model/fix.js';

const ROLE = 'arn:aws:iam::111111111111:role/phi-replication';

/** Statements as ReplGuard's rules write them: a few Sids, actions and resources, two shapes. */
const addition = fc
  .record({
    Sid: fc.constantFrom(
      'ReplGuardReplicationSourceBucket',
      'ReplGuardReplicationDestinationObjects',
      'ReplGuardKmsEncrypt',
    ),
    Effect: fc.constant('Allow'),
    Action: fc.subarray(['s3:ReplicateObject', 's3:ReplicateTags', 's3:ReplicateDelete', 'kms:Encrypt'], {
      minLength: 1,
    }),
    Resource: fc.subarray(['arn:aws:s3:::phi-dr/*', 'arn:aws:s3:::phi-dr-2/*', '*'], { minLength: 1 }),
    Condition: fc.option(fc.constant({ StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } }), {
      nil: undefined,
    }),
  })
  .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Statement);

/** Documents a customer may already have: their own statements, possibly one of ours, a deny. */
const existing = fc.array(
  fc.oneof(
    fc.record({
      Sid: fc.constantFrom('CustomerRead', 'ReplGuardKmsEncrypt', 'Guardrail'),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.constantFrom('s3:GetObject', 's3:*', 'kms:Decrypt'),
      Resource: fc.constant('*'),
    }),
    fc.record({
      Effect: fc.constant('Allow'),
      Action: fc.constant('s3:ListBucket'),
      Resource: fc.constant('*'),
    }),
  ),
  { maxLength: 4 },
);

const doc = (statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });

describe('withAdditions (merging ReplGuard statements into a policy by Sid)', () => {
  it('is idempotent: merging again changes nothing', () => {
    fc.assert(
      fc.property(existing, fc.array(addition, { maxLength: 6 }), (current, additions) => {
        const once = withAdditions(doc(current), additions);
        expect(withAdditions(once, additions)).toEqual(once);
      }),
    );
  });

  it('does not depend on the order the additions come in', () => {
    fc.assert(
      fc.property(
        existing,
        fc
          .array(addition, { maxLength: 6 })
          .chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length }))),
        (current, [additions, shuffled]) => {
          expect(withAdditions(doc(current), shuffled)).toEqual(withAdditions(doc(current), additions));
        },
      ),
    );
  });

  it('keeps every existing statement, granting at least what it granted', () => {
    fc.assert(
      fc.property(existing, fc.array(addition, { maxLength: 6 }), (current, additions) => {
        const merged = withAdditions(doc(current), additions).Statement;
        // Existing statements keep their place (additions come after them), Sid, effect and grants.
        current.forEach((s, i) => {
          const kept = merged[i];
          expect(kept?.Sid).toBe((s as Statement).Sid);
          expect(kept?.Effect).toBe(s.Effect);
          for (const a of [s.Action].flat()) expect([kept?.Action].flat()).toContain(a);
          for (const r of [s.Resource].flat()) expect([kept?.Resource].flat()).toContain(r);
        });
      }),
    );
  });

  it('grants everything each addition grants', () => {
    fc.assert(
      fc.property(existing, fc.array(addition, { minLength: 1, maxLength: 6 }), (current, additions) => {
        const merged = withAdditions(doc(current), additions).Statement;
        for (const a of additions)
          for (const action of [a.Action].flat())
            for (const resource of [a.Resource].flat())
              expect(
                merged.some(
                  (m) =>
                    m.Effect === a.Effect &&
                    JSON.stringify(m.Condition) === JSON.stringify(a.Condition) &&
                    [m.Action].flat().includes(action) &&
                    [m.Resource].flat().includes(resource),
                ),
              ).toBe(true);
      }),
    );
  });

  it('extends a ReplGuard statement of the same shape, and gives a taken Sid of another shape a suffix', () => {
    const current = doc([
      { Sid: 'ReplGuardKmsEncrypt', Effect: 'Deny', Action: 'kms:*', Resource: '*' },
      {
        Sid: 'ReplGuardReplicationDestinationObjects',
        Effect: 'Allow',
        Action: ['s3:ReplicateObject'],
        Resource: 'arn:aws:s3:::phi-dr/*',
      },
    ]);
    const merged = withAdditions(current, [
      {
        Sid: 'ReplGuardReplicationDestinationObjects',
        Effect: 'Allow',
        Action: ['s3:ReplicateTags'],
        Resource: 'arn:aws:s3:::phi-dr/*',
      },
      { Sid: 'ReplGuardKmsEncrypt', Effect: 'Allow', Action: ['kms:Encrypt'], Resource: '*' },
    ]);
    expect(merged.Statement).toEqual([
      { Sid: 'ReplGuardKmsEncrypt', Effect: 'Deny', Action: 'kms:*', Resource: '*' },
      {
        Sid: 'ReplGuardReplicationDestinationObjects',
        Effect: 'Allow',
        Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
        Resource: 'arn:aws:s3:::phi-dr/*',
      },
      { Sid: 'ReplGuardKmsEncrypt2', Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' },
    ]);
  });

  it('starts a document when there is none, and keeps Version and Id when there is one', () => {
    expect(
      withAdditions(null, [{ Sid: 'A', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
    });
    expect(withAdditions({ Version: '2008-10-17', Id: 'P', Statement: [] }, [])).toEqual({
      Version: '2008-10-17',
      Id: 'P',
      Statement: [],
    });
  });
});

describe('mergeAdditions', () => {
  it('joins statements of one Sid and shape, sorting actions and resources', () => {
    expect(
      mergeAdditions([
        { Sid: 'X', Effect: 'Allow', Action: ['s3:B'], Resource: 'r2' },
        { Sid: 'X', Effect: 'Allow', Action: ['s3:A'], Resource: 'r1' },
      ]),
    ).toEqual([{ Sid: 'X', Effect: 'Allow', Action: ['s3:A', 's3:B'], Resource: ['r1', 'r2'] }]);
  });
});

describe('withExemptions (narrowing a deny so it spares the replication role)', () => {
  const deny = {
    Sid: 'ImmutableArchive',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:ReplicateDelete',
    Resource: '*',
  };

  it('adds ArnNotEquals aws:PrincipalArn, keeping the deny for everyone else', () => {
    expect(
      withExemptions(doc([deny]), [{ statement: 'ImmutableArchive', principalArn: ROLE }]).Statement,
    ).toEqual([{ ...deny, Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } } }]);
  });

  it("keeps the statement's other conditions (ANDed) and is idempotent", () => {
    const conditioned = { ...deny, Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } } };
    const once = withExemptions(doc([conditioned]), [{ statement: 'ImmutableArchive', principalArn: ROLE }]);
    expect(once.Statement[0]?.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111111111111' },
      ArnNotEquals: { 'aws:PrincipalArn': ROLE },
    });
    expect(withExemptions(once, [{ statement: 'ImmutableArchive', principalArn: ROLE }])).toEqual(once);
  });

  it('finds statements without a Sid by position and never touches an allow', () => {
    const allow = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };
    const out = withExemptions(doc([allow, { ...deny, Sid: undefined }]), [
      { statement: '#1', principalArn: ROLE },
      { statement: '#2', principalArn: ROLE },
    ]).Statement;
    expect(out[0]).toEqual(allow);
    expect(out[1]?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': ROLE } });
  });
});

describe('plannedDocument', () => {
  it('narrows by the current labels, then adds', () => {
    const out = plannedDocument(
      doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }]),
      [{ Sid: 'ReplGuardX', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
      [{ statement: '#1', principalArn: ROLE }],
    );
    expect(out.Statement.map((s) => s.Effect)).toEqual(['Deny', 'Allow']);
    expect(out.Statement[0]?.Condition).toBeDefined();
  });
});
