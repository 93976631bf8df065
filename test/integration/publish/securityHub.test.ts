import {
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CallCounter } from '../../../shared/aws/callCounter.js';
import { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { ServiceId } from '../../../shared/aws/endpoint.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { PublishError } from '../../../shared/publish/errors.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { testAccount, withAccount } from '../../emulator/accounts.js';
import { scenario, type Scenario } from '../../scenarios/builder.js';
import { failing } from '../../unit/publish/fixtures.js';
import { enableSecurityHub, inbox, publishVia, type Inbox } from './inbox.js';

const endpoint = inject('emulatorEndpoint');

type Findings = { Findings?: AwsSecurityFinding[] };

/**
 * A factory acting as `account` whose BatchImportFindings requests lose the Title of finding `id` for the
 * first `times` calls. The emulator then rejects that finding in FailedFindings exactly as Security Hub
 * rejects an invalid finding (it never fails valid findings on its own), so the retry path runs against
 * the emulator's real partial-failure response.
 */
const factoryDroppingTitle = (
  account: string,
  counter: CallCounter,
  id?: string,
  times = 0,
): ClientFactory => {
  let left = times;
  return new ClientFactory({
    region: 'us-east-1',
    endpointUrl: endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    counter,
    decorate: (client, context) => {
      withAccount(client, account);
      if (context.service !== ServiceId.SecurityHub || id === undefined) return;
      client.middlewareStack.add(
        (next, ctx) => async (args) => {
          const input = args.input as Findings;
          if ((ctx as { commandName?: string }).commandName !== 'BatchImportFindingsCommand' || left <= 0)
            return next(args);
          if (!input.Findings?.some((f) => f.Id === id)) return next(args);
          left -= 1;
          const Findings = input.Findings.map((f) => (f.Id === id ? { ...f, Title: undefined } : f));
          return next({ ...args, input: { ...input, Findings } });
        },
        { step: 'initialize', name: 'testDropTitle' },
      );
    },
  });
};

describe('Security Hub import: partial failures, retries, batching (against the emulator)', () => {
  let env: Scenario;
  let hub: SecurityHubClient;
  let box: Inbox;
  let a: RuleResult;
  let b: RuleResult;

  const storedIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await hub.send(
        new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
      );
      ids.push(...(page.Findings ?? []).map((f) => f.Id ?? ''));
      token = page.NextToken || undefined;
    } while (token);
    return ids;
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/publish/securityHub') });
    hub = await enableSecurityHub(env);
    box = await inbox(env, 'sechub');
    a = failing({ accountId: env.home, bucket: 'retry-a' });
    b = failing({ accountId: env.home, bucket: 'retry-b' });
  });

  it('retries a finding Security Hub rejected once, and imports it', async () => {
    const counter = new CallCounter();
    const summary = await publishVia(factoryDroppingTitle(env.home, counter, findingIdOf(a), 1), [a, b]);
    expect(summary).toMatchObject({ new: 2, imported: 2, failed: [] });
    expect(counter.snapshot()['SECURITYHUB:BatchImportFindings']).toBe(2);
    expect((await storedIds()).sort()).toEqual([findingIdOf(a), findingIdOf(b)].sort());
  });

  it('surfaces a finding that still fails after retries as a PublishError, never dropping it', async () => {
    const c = failing({ accountId: env.home, bucket: 'retry-c' });
    const d = failing({ accountId: env.home, bucket: 'retry-d' });
    const counter = new CallCounter();
    const error = await publishVia(factoryDroppingTitle(env.home, counter, findingIdOf(c), 99), [c, d], {
      topicArn: box.topicArn,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    const e = error as PublishError;
    expect(e.code).toBe('PARTIAL_FAILURE');
    expect(e.failed).toEqual([{ id: findingIdOf(c), reason: expect.stringContaining('InvalidInput') }]);
    expect(e.failed[0]?.reason).toContain('Title');
    expect(e.message).toContain(findingIdOf(c));
    expect(e.summary).toMatchObject({ new: 1, imported: 1, messagesSent: 1 });
    expect(counter.snapshot()['SECURITYHUB:BatchImportFindings']).toBe(4);
    expect(await storedIds()).not.toContain(findingIdOf(c));

    // State before alert: only the recorded transition was announced. The unrecorded one is announced,
    // once, by the publish that records it.
    const first = await box.drain();
    expect(first.envelope.map((m) => m.attributes.bucket)).toEqual(['retry-d']);
    const again = await publishVia(env.clientFactory(), [c, d], { topicArn: box.topicArn });
    expect(again).toMatchObject({ new: 1, unchanged: 1, messagesSent: 1, failed: [] });
    expect((await box.drain()).envelope.map((m) => m.attributes.bucket)).toEqual(['retry-c']);
    expect(await storedIds()).toContain(findingIdOf(c));
  });

  it(
    'imports 250 findings in 3 BatchImportFindings calls and reads them back by id',
    { timeout: 90_000 },
    async () => {
      const many = Array.from({ length: 250 }, (_, i) =>
        failing({ accountId: env.home, bucket: 'bulk-src', destinationBucket: `bulk-dr-${i}` }),
      );
      const counter = new CallCounter();
      const factory = factoryDroppingTitle(env.home, counter);
      expect(await publishVia(factory, many)).toMatchObject({ new: 250, imported: 250 });
      expect(counter.snapshot()['SECURITYHUB:BatchImportFindings']).toBe(3);

      counter.reset();
      expect(await publishVia(factory, many)).toMatchObject({ new: 0, unchanged: 250, imported: 0 });
      expect(counter.snapshot()['SECURITYHUB:BatchImportFindings']).toBeUndefined();
      // The previous state is read by the source bucket's ARN (every finding of it carries it), 100 a page:
      // 3 requests for 250 findings of one bucket, where reading 20 ids a request would take 13.
      expect(counter.snapshot()['SECURITYHUB:GetFindings']).toBe(3);
    },
  );
});
