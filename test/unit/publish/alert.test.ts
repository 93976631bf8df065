import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import type { Transition } from '../../../shared/findings/lifecycle.js';
import { alertSubject, SnsLimits, toAlertMessage, type AlertInput } from '../../../shared/publish/alert.js';
import { toChatMessage } from '../../../shared/publish/chat.js';
import { pagerDutySeverity } from '../../../shared/publish/pagerDuty.js';
import type { RuleResult, Severity } from '../../../shared/rules/types.js';
import { failing } from './fixtures.js';
import { conforms } from '../../fixtures/contracts/index.js';

const input = (result: RuleResult, transition: Transition, extra: Partial<AlertInput> = {}): AlertInput => ({
  findingId: findingIdOf(result),
  transition,
  result,
  timestamp: '2025-03-02T12:00:00.000Z',
  securityHub: true,
  ...extra,
});

const body = (m: { body: string }) => JSON.parse(m.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('alertSubject', () => {
  it.each<[string, RuleResult, Transition, string]>([
    [
      'new',
      failing(),
      'new',
      '[CRITICAL] replication of phi-prod to phi-dr: destination versioning not enabled',
    ],
    [
      'changed',
      failing({ severity: 'HIGH' }),
      'changed',
      '[HIGH] changed: replication of phi-prod to phi-dr: destination versioning not enabled',
    ],
    [
      'resolved',
      failing({ status: 'COMPLIANT' }),
      'resolved',
      '[RESOLVED] replication of phi-prod to phi-dr: destination versioning not enabled',
    ],
    [
      'unknown',
      failing({ status: 'UNKNOWN' }),
      'new',
      '[CRITICAL] replication of phi-prod to phi-dr: could not verify versioning_destination_enabled',
    ],
    [
      'no destination',
      failing({ ruleId: 'tls_only_policy', severity: 'HIGH', destinationBucket: null }),
      'new',
      '[HIGH] phi-prod: bucket policy allows requests without TLS',
    ],
    [
      'unknown rule id',
      failing({ ruleId: 'future_rule' }),
      'new',
      '[CRITICAL] replication of phi-prod to phi-dr: fails future_rule',
    ],
  ])('%s', (_case, result, transition, expected) => {
    expect(alertSubject(result, transition)).toBe(expected);
  });

  it.each<[string, Partial<RuleResult>]>([
    ['long bucket names', { bucket: 'a'.repeat(63), destinationBucket: 'b'.repeat(63) }],
    [
      'long bucket names and an unknown rule id',
      { bucket: 'a'.repeat(63), destinationBucket: 'b'.repeat(63), ruleId: 'x'.repeat(80) },
    ],
    ['non-ASCII and newlines', { bucket: 'phi→prod\nüber', ruleId: 'rule…\r\nwith “quotes”' }],
  ])('is printable ASCII on one line and under 100 characters with %s', (_case, overrides) => {
    for (const t of ['new', 'changed', 'resolved'] as const) {
      const subject = alertSubject(failing(overrides), t);
      expect(subject.length).toBeLessThan(100);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
      expect(subject).toMatch(/^\[/);
    }
  });

  it('shortens the path before cutting the problem', () => {
    const subject = alertSubject(
      failing({ bucket: 'a'.repeat(20), destinationBucket: 'b'.repeat(20) }),
      'new',
    );
    expect(subject).toBe(
      `[CRITICAL] ${'a'.repeat(20)} -> ${'b'.repeat(20)}: destination versioning not enabled`,
    );
  });
});

describe('alertSubject tells alerts apart', () => {
  const runtime = (failureReason: string, overrides: Partial<RuleResult> = {}) =>
    failing({
      ruleId: 'replication_operations_failing',
      details: { failureReason, count: 3 },
      ...overrides,
    });

  it('names the failure reason of a runtime finding', () => {
    expect(alertSubject(runtime('DstBucketUnversioned'), 'new')).toBe(
      '[CRITICAL] replication of phi-prod to phi-dr: replication operations failing: DstBucketUnversioned',
    );
  });

  it('gives two failure reasons on one pair two different subjects', () => {
    const a = alertSubject(runtime('DstBucketUnversioned'), 'new');
    const b = alertSubject(runtime('DstPutObjectNotPermitted'), 'new');
    expect(a).not.toBe(b);
  });

  it('names the destination account when the pair crosses accounts', () => {
    expect(alertSubject(failing({ destinationAccountId: '222222222222' }), 'new')).toBe(
      '[CRITICAL] phi-prod -> phi-dr (account 222222222222): destination versioning not enabled',
    );
    expect(alertSubject(failing({ destinationAccountId: '111111111111' }), 'new')).not.toContain('account');
  });

  it('keeps the source bucket whole and squeezes the destination first', () => {
    const subject = alertSubject(
      failing({
        bucket: 'phi-lab-995772',
        destinationBucket: 'phi-lab-dr-995772',
        destinationAccountId: '926121788540',
      }),
      'new',
    );
    expect(subject).toBe(
      '[CRITICAL] phi-lab-995772 -> phi-...5772 (account 926121788540): destination versioning not enabled',
    );
    expect(subject.length).toBeLessThanOrEqual(99);
  });

  it('keeps the reason and the account when long bucket names must be squeezed', () => {
    const subject = alertSubject(
      runtime('DstPutObjectNotPermitted', {
        bucket: `phi-imaging-${'a'.repeat(50)}`,
        destinationBucket: `phi-imaging-dr-${'b'.repeat(48)}`,
        destinationAccountId: '222222222222',
      }),
      'new',
    );
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toContain('DstPutObjectNotPermitted');
    expect(subject).toContain('(account 222222222222)');
    expect(subject).toBe(
      '[CRITICAL] phi-ima...aaaaaaa -> phi-ima...bbbbbbb (account 222222222222): DstPutObjectNotPermitted',
    );
  });
});

describe('pagerDutySeverity', () => {
  it.each<[Severity, string]>([
    ['CRITICAL', 'critical'],
    ['HIGH', 'error'],
    ['MEDIUM', 'warning'],
    ['LOW', 'info'],
    ['INFORMATIONAL', 'info'],
  ])('%s → %s', (severity, expected) => {
    expect(pagerDutySeverity(severity)).toBe(expected);
  });
});

describe('toAlertMessage', () => {
  it('carries version, transition, the finding with links and citations, and a PagerDuty trigger', () => {
    const m = toAlertMessage(input(failing(), 'new', { regionOf: () => 'us-west-2' }));
    const b = body(m);
    expect(b).toMatchObject({ version: 1, source: 'replguard', transition: 'new' });
    expect(b.finding).toMatchObject({
      id: findingIdOf(failing()),
      securityHubFindingId: findingIdOf(failing()),
      ruleId: 'versioning_destination_enabled',
      severity: 'CRITICAL',
      status: 'NON_COMPLIANT',
      bucket: 'phi-prod',
      destinationBucket: 'phi-dr',
      message: failing().message,
      remediation: failing().remediation,
      hipaa: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)'],
    });
    expect(b.finding.links.securityHub).toContain(
      'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A',
    );
    expect(b.finding.links.securityHub).toContain(
      encodeURIComponent(encodeURIComponent(findingIdOf(failing()))),
    );
    expect(b.finding.links.sourceBucket).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/phi-prod?region=us-east-1&tab=management',
    );
    expect(b.finding.links.destinationBucket).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/phi-dr?region=us-west-2&tab=management',
    );
    expect(b.pagerDuty).toMatchObject({
      event_action: 'trigger',
      dedup_key: findingIdOf(failing()),
      payload: {
        severity: 'critical',
        source: 'arn:aws:s3:::phi-prod',
        component: 'phi-dr',
        group: '111111111111/us-east-1',
        class: 'versioning_destination_enabled',
        custom_details: { transition: 'new', ruleId: 'versioning_destination_enabled', bucket: 'phi-prod' },
      },
    });
    expect(b.pagerDuty.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(b.pagerDuty.links[0]).toEqual({ href: b.finding.links.securityHub, text: 'Security Hub finding' });
    expect(m.attributes).toEqual({
      severity: 'CRITICAL',
      ruleId: 'versioning_destination_enabled',
      bucket: 'phi-prod',
      transition: 'new',
      status: 'NON_COMPLIANT',
      format: 'alert',
      destinationBucket: 'phi-dr',
    });
  });

  it('resolves the PagerDuty incident with the same dedup_key, keeping the rule severity for routing', () => {
    const m = toAlertMessage(input(failing({ status: 'COMPLIANT' }), 'resolved'));
    expect(body(m).pagerDuty).toMatchObject({ event_action: 'resolve', dedup_key: findingIdOf(failing()) });
    expect(m.attributes).toMatchObject({ transition: 'resolved', severity: 'CRITICAL' });
  });

  it('says what a changed finding was before', () => {
    const prev = {
      id: 'x',
      state: 'ACTIVE' as const,
      suppressed: false,
      severity: 'CRITICAL' as const,
      status: 'NON_COMPLIANT' as const,
    };
    const b = body(toAlertMessage(input(failing({ severity: 'HIGH' }), 'changed', { previous: prev })));
    expect(b.previous).toEqual({ severity: 'CRITICAL', status: 'NON_COMPLIANT' });
    expect(b.pagerDuty.event_action).toBe('trigger');
  });

  it('has no Security Hub link when findings are not published there', () => {
    const b = body(toAlertMessage(input(failing(), 'new', { securityHub: false })));
    expect(b.finding.securityHubFindingId).toBeNull();
    expect(b.finding.links.securityHub).toBeUndefined();
  });

  it('stays under the SNS limit when details are huge, saying where the rest is', () => {
    const huge = failing({ message: 'm'.repeat(300_000), details: { blob: 'x'.repeat(400_000) } });
    const m = toAlertMessage(input(huge, 'new'));
    expect(Buffer.byteLength(m.body)).toBeLessThan(SnsLimits.messageBytes - SnsLimits.safetyBytes);
    expect(body(m).finding.details).toMatchObject({ truncated: true });
  });
});

describe('toChatMessage', () => {
  it('is an AWS Chatbot custom notification of its own, threaded per finding', () => {
    const m = toChatMessage(input(failing(), 'new'));
    const b = body(m);
    expect(b).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
      metadata: { threadId: findingIdOf(failing()) },
    });
    expect(b.content.title).toContain('[CRITICAL] replication of phi-prod to phi-dr');
    expect(b.content.description).toContain(failing().message);
    expect(b.content.nextSteps[0]).toBe(failing().remediation);
    expect(m.attributes.format).toBe('chat');
  });

  it.each(['new', 'changed', 'resolved'] as const)(
    'follows the published custom notification schema (%s), or Chatbot drops it',
    (transition) => {
      const huge = failing({ message: 'm'.repeat(20_000), remediation: 'r'.repeat(5_000) });
      for (const result of [failing(), huge])
        expect(
          conforms('chatbot-custom-notification', body(toChatMessage(input(result, transition)))),
        ).toEqual([]);
    },
  );
});
