import { describe, expect, it } from 'vitest';
import { type Datum, known, unknown } from '../../../shared/model/datum.js';
import { DEFAULT_PARAMETERS, type ReplicationConfiguration } from '../../../shared/model/snapshot.js';
import { decideScope, type ScopeFacts } from '../../../shared/scope/verdict.js';

const TAG = DEFAULT_PARAMETERS.scopeTag;
const config: ReplicationConfiguration = { role: 'arn:aws:iam::111111111111:role/r', rules: [] };
const denied = (permission: string) => unknown(`AccessDenied on ${permission}`, permission);
const PHI = known({ DataClassification: 'PHI' });
const OTHER = known({ Team: 'web' });

const facts = (
  replication: Datum<ReplicationConfiguration | null>,
  tags: Datum<Readonly<Record<string, string>>>,
  replicatedFrom: Datum<readonly string[]> = known([]),
  named = false,
): ScopeFacts => ({ bucket: 'b', replication, tags, replicatedFrom, ...(named ? { named } : {}) });

describe('decideScope', () => {
  it.each([
    ['a replication configuration', facts(known(config), OTHER), 'source'],
    [
      'an unreadable replication configuration (fail closed)',
      facts(denied('s3:GetReplicationConfiguration'), OTHER),
      'source',
    ],
    ['the scope tag, no replication', facts(known(null), PHI), 'source'],
    ['the scope tag, receiving replicas', facts(known(null), PHI, known(['phi-prod'])), 'replica-only'],
    [
      'no tag, receiving replicas (its source covers it)',
      facts(known(null), OTHER, known(['phi-prod'])),
      'out',
    ],
    ['no tag, no replication', facts(known(null), OTHER), 'out'],
    ['named, no tag, no replication', facts(known(null), OTHER, known([]), true), 'source'],
    [
      'named, no tag, receiving replicas',
      facts(known(null), OTHER, known(['phi-prod']), true),
      'replica-only',
    ],
    ['unreadable tags, no replication', facts(known(null), denied('s3:GetBucketTagging')), 'undecided'],
    [
      'unreadable tags, receiving replicas',
      facts(known(null), denied('s3:GetBucketTagging'), known(['p'])),
      'replica-only',
    ],
    ['named, unreadable tags', facts(known(null), denied('s3:GetBucketTagging'), known([]), true), 'source'],
  ] as const)('%s → %s', (_what, input, kind) => {
    expect(decideScope(input, TAG).kind).toBe(kind);
  });

  it('names the unreadable tags of an undecided bucket, and the permission', () => {
    const verdict = decideScope(facts(known(null), denied('s3:GetBucketTagging')), TAG);
    expect(verdict.missing?.what).toContain('the tags of b');
    expect(verdict.missing?.datum.permission).toBe('s3:GetBucketTagging');
  });

  it('keeps a tagged bucket in scope when its replica evidence cannot be read, naming what is missing', () => {
    const verdict = decideScope(facts(known(null), PHI, denied('s3:GetBucketPolicy')), TAG);
    expect(verdict).toMatchObject({
      kind: 'source',
      missing: { datum: { permission: 's3:GetBucketPolicy' } },
    });
  });

  it('carries the evidence of a replica-only bucket', () => {
    expect(decideScope(facts(known(null), PHI, known(['phi-prod'])), TAG).replicatedFrom).toEqual([
      'phi-prod',
    ]);
  });

  it('honours another scope tag', () => {
    const tag = { key: 'hipaa', value: 'yes' };
    expect(decideScope(facts(known(null), known({ hipaa: 'yes' })), tag).kind).toBe('source');
    expect(decideScope(facts(known(null), PHI), tag).kind).toBe('out');
  });
});
