import {
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { HIPAA_TYPE } from '../../../shared/publish/asff.js';
import { PublishError } from '../../../shared/publish/errors.js';
import { productArn } from '../../../shared/publish/links.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { testAccount } from '../../emulator/accounts.js';
import { scenario, type Scenario } from '../../scenarios/builder.js';
import { failing, RAW_KEYS, runtimeFailure } from '../../unit/publish/fixtures.js';
import { enableSecurityHub, inbox, keepSample, publishVia, type Delivered, type Inbox } from './inbox.js';

const endpoint = inject('emulatorEndpoint');

const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity',
  'Title',
  'Description',
  'Resources',
  'Compliance',
  'Remediation',
  'ProductFields',
  'FindingProviderFields',
  'RecordState',
] as const;

describe('publishResults against the emulator: Security Hub, SNS → SQS, lifecycle', () => {
  let env: Scenario;
  let factory: ClientFactory;
  let hub: SecurityHubClient;
  let box: Inbox;
  let config: RuleResult;
  let runtime: RuleResult;
  const publish = (results: readonly RuleResult[], input = {}, settings = {}) =>
    publishVia(factory, results, { topicArn: box.topicArn, ...settings }, input);

  const stored = async (): Promise<Map<string, AwsSecurityFinding>> => {
    const out = new Map<string, AwsSecurityFinding>();
    let token: string | undefined;
    do {
      const page = await hub.send(
        new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
      );
      for (const f of page.Findings ?? []) out.set(f.Id ?? '', f);
      token = page.NextToken || undefined;
    } while (token);
    return out;
  };

  /** Messages delivered since the last call: the same alerts on both queues, returned once. */
  const delivered = async (): Promise<Delivered[]> => {
    const { envelope, raw } = await box.drain();
    expect(raw.map((d) => d.body)).toEqual(envelope.map((d) => d.body));
    expect(raw.map((d) => d.attributes)).toEqual(envelope.map((d) => d.attributes));
    return envelope;
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/publish/pipeline') });
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'pipeline');
    factory = env.clientFactory();
    config = failing({ accountId: env.home, bucket: 'phi-prod', destinationBucket: 'phi-dr' });
    runtime = runtimeFailure({ accountId: env.home });
  });

  it('imports new findings with every ASFF field and sends exactly one alert per transition', async () => {
    const compliant = failing({
      accountId: env.home,
      ruleId: 'versioning_source_enabled',
      status: 'COMPLIANT',
      destinationBucket: null,
    });
    const summary = await publish([config, runtime, compliant]);
    expect(summary).toEqual({
      new: 2,
      changed: 0,
      resolved: 0,
      unchanged: 0,
      messagesSent: 2,
      suppressed: 0,
      imported: 2,
      sinks: { securityHub: 2, snsAlert: 2 },
      answers: [],
      failed: [],
      bySeverity: { 'new|CRITICAL': 2 },
    });

    const findings = await stored();
    expect([...findings.keys()].sort()).toEqual([findingIdOf(config), findingIdOf(runtime)].sort());
    const f = findings.get(findingIdOf(config));
    for (const field of REQUIRED) expect(f, field).toHaveProperty(field);
    expect(f).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: productArn('us-east-1', env.home),
      GeneratorId: 'replguard/versioning_destination_enabled',
      AwsAccountId: env.home,
      Types: [HIPAA_TYPE],
      Severity: { Label: 'CRITICAL' },
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: ['HIPAA 164.308(a)(7)(ii)(A)', 'HIPAA 164.312(c)(1)'],
      },
      FindingProviderFields: { Severity: { Label: 'CRITICAL' }, Types: [HIPAA_TYPE] },
      RecordState: 'ACTIVE',
      ProductFields: {
        'replguard/ruleId': 'versioning_destination_enabled',
        'replguard/destination': 'phi-dr',
        'replguard/replicationRule': 'phi-to-dr',
      },
    });
    expect(f?.Resources?.map((r) => [r.Type, r.Id])).toEqual([
      ['AwsS3Bucket', 'arn:aws:s3:::phi-prod'],
      ['AwsS3Bucket', 'arn:aws:s3:::phi-dr'],
    ]);
    expect(findings.get(findingIdOf(runtime))?.ProductFields?.['replguard/details/count']).toBe('42');

    const alerts = await delivered();
    expect(alerts.map((a) => [a.body.transition, a.attributes.ruleId]).sort()).toEqual([
      ['new', 'replication_operations_failing'],
      ['new', 'versioning_destination_enabled'],
    ]);
    const alert = alerts.find((a) => a.attributes.ruleId === 'versioning_destination_enabled');
    expect(alert?.subject).toBe(
      '[CRITICAL] replication of phi-prod to phi-dr: destination versioning not enabled',
    );
    expect(alert?.attributes).toMatchObject({
      severity: 'CRITICAL',
      bucket: 'phi-prod',
      transition: 'new',
      format: 'alert',
    });
    expect(alert?.body).toMatchObject({ version: 1, finding: { securityHubFindingId: findingIdOf(config) } });
    keepSample('finding.json', f);
    keepSample('finding-runtime.json', findings.get(findingIdOf(runtime)));
    keepSample('alert.json', alert?.body);
    keepSample('alert-subject.txt', alert?.subject);
  });

  it('keeps object keys out of Security Hub and SNS (redaction on by default)', async () => {
    const text = JSON.stringify([...(await stored()).values()]);
    for (const key of RAW_KEYS) expect(text).not.toContain(key);
    expect(text).toMatch(/sha256:[0-9a-f]{16}/);
  });

  it('sends nothing and imports nothing on an identical re-run', async () => {
    const before = await stored();
    const summary = await publish([config, runtime]);
    expect(summary).toMatchObject({
      new: 0,
      changed: 0,
      resolved: 0,
      unchanged: 2,
      messagesSent: 0,
      imported: 0,
    });
    expect(await delivered()).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('updates the finding for a growing event count without alerting, keeping CreatedAt', async () => {
    const before = (await stored()).get(findingIdOf(runtime));
    const grown = {
      ...runtime,
      details: { ...runtime.details, count: 57, lastSeen: '2025-03-01T10:20:00.000Z' },
    };
    const summary = await publish([config, grown]);
    expect(summary).toMatchObject({ unchanged: 2, messagesSent: 0, imported: 1 });
    expect(await delivered()).toEqual([]);
    const after = (await stored()).get(findingIdOf(runtime));
    expect(after?.ProductFields?.['replguard/details/count']).toBe('57');
    expect(after?.Description).toContain('count=57');
    expect(after?.CreatedAt).toBe(before?.CreatedAt);
    expect(Date.parse(after?.UpdatedAt ?? '')).toBeGreaterThan(Date.parse(before?.UpdatedAt ?? ''));
    runtime = grown;
  });

  it('alerts once when severity or message change', async () => {
    const summary = await publish([
      { ...config, status: 'UNKNOWN', message: 'Could not read the versioning status of phi-dr.' },
      runtime,
    ]);
    expect(summary).toMatchObject({ changed: 1, unchanged: 1, messagesSent: 1 });
    const [alert, ...rest] = await delivered();
    expect(rest).toEqual([]);
    expect(alert?.body).toMatchObject({
      transition: 'changed',
      previous: { status: 'NON_COMPLIANT' },
      finding: { status: 'UNKNOWN' },
    });
    expect(alert?.subject).toBe(
      '[CRITICAL] changed: phi-prod -> phi-dr: could not verify versioning_destination_enabled',
    );
    expect((await stored()).get(findingIdOf(config))?.Compliance?.Status).toBe('WARNING');
  });

  it('resolves a fixed finding with exactly one resolve message, then stays quiet', async () => {
    const before = (await stored()).get(findingIdOf(config));
    const fixed = {
      ...config,
      status: 'COMPLIANT' as const,
      message: 'Versioning is Enabled on destination phi-dr (rule phi-to-dr).',
      remediation: '',
    };
    expect(await publish([fixed, runtime])).toMatchObject({
      resolved: 1,
      unchanged: 1,
      messagesSent: 1,
    });
    const [alert, ...rest] = await delivered();
    expect(rest).toEqual([]);
    expect(alert?.subject).toBe(
      '[RESOLVED] replication of phi-prod to phi-dr: destination versioning not enabled',
    );
    expect(alert?.body).toMatchObject({
      transition: 'resolved',
      pagerDuty: { event_action: 'resolve', dedup_key: findingIdOf(config) },
    });
    expect(alert?.attributes).toMatchObject({ transition: 'resolved', severity: 'CRITICAL' });
    const after = (await stored()).get(findingIdOf(config));
    expect(after).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
      CreatedAt: before?.CreatedAt,
    });
    keepSample('alert-resolved.json', alert?.body);
    keepSample('finding-resolved.json', after);

    expect(await publish([fixed, runtime])).toMatchObject({
      resolved: 0,
      unchanged: 2,
      messagesSent: 0,
    });
    expect(await delivered()).toEqual([]);
  });

  it('resolves an ACTIVE finding a complete evaluation no longer reports (resolveMissingFor)', async () => {
    const summary = await publish([], {
      resolveMissingFor: { buckets: ['phi-prod'], ruleIds: ['replication_operations_failing'] },
    });
    expect(summary).toMatchObject({ resolved: 1, messagesSent: 1 });
    const [alert] = await delivered();
    expect(alert?.body).toMatchObject({
      transition: 'resolved',
      finding: { ruleId: 'replication_operations_failing', status: 'NOT_APPLICABLE' },
    });
    expect((await stored()).get(findingIdOf(runtime))).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
  });

  it('reopens a resolved finding as new when it breaks again', async () => {
    expect(await publish([config])).toMatchObject({ new: 1, messagesSent: 1 });
    const [alert] = await delivered();
    expect(alert?.body.transition).toBe('new');
    expect((await stored()).get(findingIdOf(config))).toMatchObject({
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
    });
  });

  it('with chat on, also sends an AWS Chatbot custom notification as a message of its own', async () => {
    const lab = failing({
      accountId: env.home,
      bucket: 'phi-lab',
      destinationBucket: 'phi-lab-dr',
      replicationRuleId: 'lab-to-dr',
    });
    expect(await publish([lab], {}, { chatTopicArn: box.topicArn })).toMatchObject({
      new: 1,
      messagesSent: 2,
    });
    const alerts = await delivered();
    expect(alerts.map((a) => a.attributes.format).sort()).toEqual(['alert', 'chat']);
    const chat = alerts.find((a) => a.attributes.format === 'chat');
    expect(chat?.body).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        nextSteps: [lab.remediation, expect.any(String), expect.any(String)],
      },
      metadata: { threadId: findingIdOf(lab) },
    });
    keepSample('chat.json', chat?.body);
  });

  it('refuses clearly when Security Hub is not enabled, naming the fix', async () => {
    const off = await scenario(endpoint, { account: testAccount('integration/publish/pipeline#hub-off') });
    const run = publishVia(off.clientFactory(), [failing({ accountId: off.home })]);
    await expect(run).rejects.toBeInstanceOf(PublishError);
    await expect(run).rejects.toMatchObject({
      code: 'SECURITY_HUB_NOT_ENABLED',
      message: expect.stringContaining('aws securityhub enable-security-hub --region us-east-1'),
    });
  });
});
