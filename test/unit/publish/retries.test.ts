import type {
  AwsSecurityFinding,
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../shared/publish/alert.js';
import { PublishError } from '../../../shared/publish/errors.js';
import { importFindings, type SecurityHubTarget } from '../../../shared/publish/securityHub.js';
import { sendMessages } from '../../../shared/publish/sns.js';
import { TokenBucket, type Timer } from '../../../shared/publish/throttle.js';

// Throttling, transient SNS entry failures and InvalidAccessException cannot be provoked in the emulator on
// demand; these tests drive the retry logic with a scripted `send`.

const noWait: Timer = { now: () => 0, sleep: async () => undefined };
const awsError = (name: string, status = 400) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

const target = (send: (input: { Findings: { Id: string }[] }) => Promise<unknown>): SecurityHubTarget => ({
  client: { send: (c: BatchImportFindingsCommand) => send(c.input as never) } as unknown as SecurityHubClient,
  productArn: 'arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default',
  accountId: '111111111111',
  region: 'us-east-1',
  importLimiter: new TokenBucket(1000, 1000, noWait),
  readLimiter: new TokenBucket(1000, 1000, noWait),
  timer: noWait,
});

/** Stand-ins: only the Id matters to the retry logic. */
const findings = (n: number): AwsSecurityFinding[] =>
  Array.from({ length: n }, (_, i) => ({ Id: `f${i}` }) as AwsSecurityFinding);

describe('importFindings retries', () => {
  it('retries a throttled request and then imports everything', async () => {
    let calls = 0;
    const out = await importFindings(
      target(async (input) => {
        calls += 1;
        if (calls === 1) throw awsError('ThrottlingException', 429);
        return { FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] };
      }),
      findings(3),
    );
    expect(out).toEqual({ imported: ['f0', 'f1', 'f2'], failed: [] });
    expect(calls).toBe(2);
  });

  it('returns what still fails after the last attempt, with the last reason, never dropping it', async () => {
    let calls = 0;
    const out = await importFindings(
      target(async () => {
        calls += 1;
        return {
          FailedCount: 1,
          SuccessCount: 1,
          FailedFindings: [{ Id: 'f1', ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }],
        };
      }),
      findings(2),
      3,
    );
    expect(out).toEqual({ imported: ['f0'], failed: [{ id: 'f1', reason: 'InternalFailure: try later' }] });
    expect(calls).toBe(3);
  });

  it('names the fix when Security Hub is not enabled', async () => {
    const run = importFindings(
      target(async () => Promise.reject(awsError('InvalidAccessException'))),
      findings(1),
    );
    await expect(run).rejects.toBeInstanceOf(PublishError);
    await expect(run).rejects.toMatchObject({
      code: 'SECURITY_HUB_NOT_ENABLED',
      message: expect.stringContaining('aws securityhub enable-security-hub --region us-east-1'),
    });
  });
});

const message = (findingId: string): OutgoingMessage => ({
  findingId,
  transition: 'new',
  format: 'alert',
  subject: `[HIGH] ${findingId}`,
  body: '{}',
  attributes: { severity: 'HIGH' },
});

const sns = (send: (input: { PublishBatchRequestEntries: { Id: string }[] }) => Promise<unknown>) =>
  ({ send: (c: PublishBatchCommand) => send(c.input as never) }) as unknown as SNSClient;

describe('sendMessages retries', () => {
  it('retries entries SNS failed on its side, not those the sender got wrong', async () => {
    let calls = 0;
    const out = await sendMessages(
      sns(async (input) => {
        calls += 1;
        const ids = input.PublishBatchRequestEntries.map((e) => e.Id);
        if (calls === 1)
          return {
            Successful: [{ Id: 'm0' }],
            Failed: [
              { Id: 'm1', Code: 'InternalError', SenderFault: false },
              { Id: 'm2', Code: 'InvalidParameter', Message: 'bad attribute', SenderFault: true },
            ],
          };
        return { Successful: ids.map((Id) => ({ Id })), Failed: [] };
      }),
      'arn:aws:sns:us-east-1:111111111111:alerts',
      [message('a'), message('b'), message('c')],
      { timer: noWait },
    );
    expect(out.sent.map((m) => m.findingId)).toEqual(['a', 'b']);
    expect(out.failed).toEqual([{ id: 'alert:c', reason: 'InvalidParameter: bad attribute' }]);
    expect(calls).toBe(2);
  });

  it('does not retry when publishing is not allowed, and says which permission', async () => {
    let calls = 0;
    const out = await sendMessages(
      sns(async () => {
        calls += 1;
        throw awsError('AuthorizationErrorException', 403);
      }),
      'arn:aws:sns:us-east-1:111111111111:alerts',
      [message('a')],
      { timer: noWait },
    );
    expect(calls).toBe(1);
    expect(out.failed[0]?.reason).toContain('not allowed to sns:Publish');
  });

  it('sends at most 10 entries a request, with FIFO group and deduplication ids on FIFO topics', async () => {
    const sizes: number[] = [];
    let entry: Record<string, unknown> | undefined;
    await sendMessages(
      sns(async (input) => {
        sizes.push(input.PublishBatchRequestEntries.length);
        entry ??= input.PublishBatchRequestEntries[0];
        return { Successful: input.PublishBatchRequestEntries.map(({ Id }) => ({ Id })) };
      }),
      'arn:aws:sns:us-east-1:111111111111:alerts.fifo',
      Array.from({ length: 23 }, (_, i) => message(`f${i}`)),
      { timer: noWait },
    );
    expect(sizes).toEqual([10, 10, 3]);
    expect(entry).toMatchObject({
      MessageGroupId: expect.any(String),
      MessageDeduplicationId: expect.any(String),
    });
  });
});
