/** ASFF Recommendation.Text: at most 512 characters, a complete instruction, never a command cut in the middle. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { AsffLimits, toAsff } from '../../../shared/publish/asff.js';
import { productArn } from '../../../shared/publish/links.js';
import { commandsOf, fixFields, recommendationText } from '../../../shared/publish/recommendation.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { failing } from './fixtures.js';

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: Array.from({ length: 12 }, (_, i) => ({
    Sid: `ReplGuardReplicaWrite${i}`,
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111111111111:role/phi-replication' },
    Action: [
      's3:ReplicateObject',
      's3:ReplicateDelete',
      's3:ReplicateTags',
      's3:ObjectOwnerOverrideToBucketOwner',
    ],
    Resource: `arn:aws:s3:::phi-dr/prefix-${i}/*`,
  })),
});
const PUT_POLICY = `aws s3api put-bucket-policy --region us-west-2 --bucket phi-dr --policy '${policy}'`;
const VERSIONING =
  'aws s3api put-bucket-versioning --region us-west-2 --bucket phi-dr --versioning-configuration Status=Enabled';
const LONG_REMEDIATION =
  'Allow the replication role to write replicas in the bucket policy of phi-dr (account 222222222222). ' +
  `Fix (steps 1, 2 of the plan, in this order, proven by re-evaluation): \`${VERSIONING}\` (with credentials of account 222222222222); \`${PUT_POLICY}\` (with credentials of account 222222222222).`;

const asff = (result: RuleResult) =>
  toAsff({
    id: findingIdOf(result),
    result,
    productArn: productArn('us-east-1', '111111111111'),
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

describe('Recommendation.Text', () => {
  it('is the remediation itself when it fits', () => {
    expect(asff(failing()).Remediation?.Recommendation?.Text).toBe(failing().remediation);
  });

  it('replaces the commands by where they are in full when the remediation is too long, and names replguard fix', () => {
    expect(PUT_POLICY.length).toBeGreaterThan(AsffLimits.productFieldValue);
    const text = asff(failing({ remediation: LONG_REMEDIATION })).Remediation?.Recommendation?.Text ?? '';
    expect(text).toBe(
      'Allow the replication role to write replicas in the bucket policy of phi-dr (account 222222222222). ' +
        'Fix (steps 1, 2 of the plan, in this order, proven by re-evaluation): the command in ProductFields replguard/fix/1 (with credentials of account 222222222222); ' +
        'the command in ProductFields replguard/fix/2 (with credentials of account 222222222222) (all of them: `replguard fix --bucket phi-prod`).',
    );
    expect(text.length).toBeLessThanOrEqual(AsffLimits.recommendationText);
  });

  it('keeps whole sentences, and no command, when even that is too long', () => {
    const prose = Array.from(
      { length: 12 },
      (_, i) => `Sentence ${i} explains one more thing about the replication path.`,
    ).join(' ');
    const text = recommendationText(`${prose} Run \`${PUT_POLICY}\`.`, 'phi-prod', 512);
    expect(text.length).toBeLessThanOrEqual(512);
    expect(text).toMatch(
      /^Sentence 0 .*path\. Sentence \d+ .*path \(all of them: `replguard fix --bucket phi-prod`\)\.$/,
    );
  });

  it('never ends inside a command, whatever the text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.lorem({ maxCount: 30 }),
            fc.string({ minLength: 1, maxLength: 900 }).map((c) => `\`aws ${c.replace(/`/g, '')}\``),
          ),
          { maxLength: 8 },
        ),
        (parts) => {
          const remediation = `${parts.join('. ')}.`;
          const text = recommendationText(remediation, 'phi-prod', 512);
          expect(text.length).toBeLessThanOrEqual(512);
          expect((text.match(/`/g) ?? []).length % 2).toBe(0);
          for (const command of commandsOf(text))
            expect([...commandsOf(remediation), 'replguard fix --bucket phi-prod']).toContain(command);
        },
      ),
    );
  });
});

describe('the fix commands in ProductFields', () => {
  it('carries every command of the remediation in full, one per field', () => {
    const fields = asff(failing({ remediation: LONG_REMEDIATION })).ProductFields ?? {};
    expect(fields['replguard/fix/1']).toBe(VERSIONING);
    expect(`${fields['replguard/fix/2']}${fields['replguard/fix/2/2']}`).toBe(PUT_POLICY);
    for (const value of Object.values(fields))
      expect(value.length).toBeLessThanOrEqual(AsffLimits.productFieldValue);
  });

  it('keeps the existing fields as they were', () => {
    expect(asff(failing()).ProductFields).toMatchObject({
      'replguard/ruleId': 'versioning_destination_enabled',
      'replguard/remediation': failing().remediation,
      'replguard/fix/1':
        'aws s3api put-bucket-versioning --bucket phi-dr --versioning-configuration Status=Enabled',
    });
  });

  it('stays within ASFF’s 50 fields', () => {
    const many = Array.from({ length: 60 }, (_, i) => `\`aws s3 ls s3://b${i}\``).join('; ');
    expect(Object.keys(fixFields(many, 2048, 40))).toHaveLength(40);
    const details = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`d${i}`, 'x']));
    expect(
      Object.keys(asff(failing({ remediation: many, details })).ProductFields ?? {}).length,
    ).toBeLessThanOrEqual(AsffLimits.productFields);
  });
});
