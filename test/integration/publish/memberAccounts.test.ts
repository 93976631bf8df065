/**
 * A central deployment (account C) publishing findings of buckets in member accounts: each finding is recorded
 * in the Security Hub of the account that owns the bucket, through the member role, under that account's
 * default product ARN (Security Hub imports findings of the calling account only; the emulator enforces it),
 * and its previous state is read back from there. A member that cannot take them (no member role, Security
 * Hub off, access denied) fails those findings with the fix, and nothing lands in C instead.
 */
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { ScanSession } from '../../../shared/collect/session.js';
import { publishScan, scan } from '../../../shared/engine/scan.js';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { PublishError } from '../../../shared/publish/errors.js';
import { productArn } from '../../../shared/publish/links.js';
import type { Publisher } from '../../../shared/publish/pipeline.js';
import { sinksFor } from '../../../shared/publish/sinks/index.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { failing } from '../../unit/publish/fixtures.js';
import { enableSecurityHub, inbox, publishVia, type Inbox } from './inbox.js';

const endpoint = inject('emulatorEndpoint');
const RULE = 'versioning_destination_enabled';

const hubOf = (account: string): SecurityHubClient =>
  withAccount(new SecurityHubClient(emulatorClientConfig(endpoint)), account);

/** Turns Security Hub on in `account` (us-east-1), as that account. */
const enableHub = async (account: string): Promise<void> => {
  await hubOf(account).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
};

/** Every finding stored in `account`'s Security Hub (read as that account). */
const findingsIn = async (account: string): Promise<AwsSecurityFinding[]> => {
  const hub = hubOf(account);
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await hub.send(
      new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
    );
    out.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return out;
};

describe('a central deployment records member findings in the member account (against the emulator)', () => {
  let central: Scenario;
  let member: Scenario;
  let pair: ReplicationPath;
  let factory: ClientFactory;
  let box: Inbox;
  let publisher: Publisher;

  /** One sweep of the member's source bucket from the central account: scan through the member role, publish. */
  const sweep = async () => {
    const session = new ScanSession(factory);
    const report = await scan(session, { buckets: [pair.source.name], accountId: member.home });
    return publishScan(session, report, publisher);
  };
  const ours = (findings: readonly AwsSecurityFinding[]) =>
    findings.filter((f) => f.GeneratorId === `replguard/${RULE}`);

  beforeAll(async () => {
    central = await scenario(endpoint, { account: testAccount('integration/publish/memberAccounts') });
    member = await scenario(endpoint, { account: central.peer('member') });
    await enableSecurityHub(central);
    await enableHub(member.home);
    await central.readOnlyRole(member.home);
    pair = await member.replicatedPair({
      name: 'member-phi',
      crossAccount: false,
      crossRegion: false,
      destinationVersioning: 'Suspended',
    });
    factory = central.clientFactory();
    box = await inbox(central, 'members');
    publisher = {
      sinks: sinksFor({ securityHub: true, topicArn: box.topicArn }, { factory }),
      home: () => factory.homeAccountId(),
      region: factory.region,
    };
  });

  it("imports a member bucket's failing finding in the member's Security Hub, under its product ARN, none in the central account", async () => {
    const outcome = await sweep();
    expect(outcome.failed).toEqual([]);
    const result = outcome.results.find((r) => r.ruleId === RULE);
    expect(result).toMatchObject({ status: 'NON_COMPLIANT', accountId: member.home });

    const [finding, ...more] = ours(await findingsIn(member.home));
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      Id: findingIdOf(result!),
      AwsAccountId: member.home,
      ProductArn: productArn('us-east-1', member.home),
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
    });
    expect(await findingsIn(central.home)).toEqual([]);

    const alert = (await box.drain()).envelope.find((d) => d.body.finding?.ruleId === RULE);
    expect(alert?.body.transition).toBe('new');
    expect(JSON.stringify(alert?.body)).toContain(
      `AwsAccountId%3D%255Coperator%255C%253AEQUALS%255C%253A${member.home}`,
    );
  });

  it('reads the previous state back from the member account: an unchanged re-run is not new and alerts nothing', async () => {
    const outcome = await sweep();
    expect(outcome.failed).toEqual([]);
    expect(outcome.summary).toMatchObject({ new: 0, changed: 0, resolved: 0, imported: 0, messagesSent: 0 });
    expect(outcome.summary?.unchanged).toBeGreaterThan(0);
    expect(ours(await findingsIn(member.home))).toHaveLength(1);
    expect((await box.drain()).envelope).toEqual([]);
  });

  it('resolves the finding in the member account once the destination is fixed', async () => {
    await member.clients().s3.send(
      new PutBucketVersioningCommand({
        Bucket: pair.destination.name,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const outcome = await sweep();
    expect(outcome.failed).toEqual([]);
    expect(outcome.summary?.resolved).toBe(1);
    expect(ours(await findingsIn(member.home))).toEqual([
      expect.objectContaining({
        AwsAccountId: member.home,
        Compliance: expect.objectContaining({ Status: 'PASSED' }),
        RecordState: 'ARCHIVED',
      }),
    ]);
    expect(await findingsIn(central.home)).toEqual([]);
    const alerts = (await box.drain()).envelope.filter((d) => d.body.finding?.ruleId === RULE);
    expect(alerts.map((d) => d.body.transition)).toEqual(['resolved']);
  });

  describe('a member that cannot take its findings: reported per finding with the fix, never imported in C', () => {
    const publishFor = async (account: string) => {
      const result = failing({ accountId: account, bucket: `phi-${account}`, destinationBucket: null });
      const error = await publishVia(factory, [result]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PublishError);
      expect(error).toMatchObject({ code: 'PARTIAL_FAILURE' });
      const failed = (error as PublishError).failed;
      expect(failed.map((f) => f.id)).toEqual([findingIdOf(result)]);
      return failed[0]?.reason ?? '';
    };

    it('without the member role: names the member template to deploy', async () => {
      const account = central.peer('no-role');
      await enableHub(account); // Security Hub on there: only the role is missing
      const reason = await publishFor(account);
      expect(reason).toContain(`arn:aws:iam::${account}:role/ReplGuardReadOnly`);
      expect(reason).toContain('Deploy or update the member template (infra/member-account.yml)');
      expect(await findingsIn(account)).toEqual([]);
      expect(await findingsIn(central.home)).toEqual([]);
    });

    it('with Security Hub off in that account and Region: names how to enable it', async () => {
      const account = central.peer('hub-off');
      await central.readOnlyRole(account);
      const reason = await publishFor(account);
      expect(reason).toContain(`Security Hub is not enabled in account ${account} Region us-east-1`);
      expect(reason).toContain('aws securityhub enable-security-hub --region us-east-1');
      expect(await findingsIn(central.home)).toEqual([]);
    });

    it("when the member role may not import: names the member template's findings policy", async () => {
      const account = central.peer('no-import');
      await central.readOnlyRole(account);
      await enableHub(account);
      const denied = central.clientFactory({
        deny: [{ call: 'SECURITYHUB:BatchImportFindings', account }],
      });
      const result = failing({ accountId: account, bucket: `phi-${account}`, destinationBucket: null });
      await expect(publishVia(denied, [result])).rejects.toMatchObject({
        code: 'PARTIAL_FAILURE',
        failed: [
          {
            id: findingIdOf(result),
            reason: expect.stringContaining('policy replguard-findings'),
          },
        ],
      });
      expect(await findingsIn(account)).toEqual([]);
      expect(await findingsIn(central.home)).toEqual([]);
    });

    it("does not hold back the other accounts' findings of the same run", async () => {
      const account = central.peer('no-role');
      const own = failing({ accountId: central.home, bucket: 'phi-central', destinationBucket: null });
      const theirs = failing({ accountId: account, bucket: `phi-${account}`, destinationBucket: null });
      const error = (await publishVia(factory, [own, theirs], { topicArn: box.topicArn }).catch(
        (e: unknown) => e,
      )) as PublishError;
      expect(error.failed.map((f) => f.id)).toEqual([findingIdOf(theirs)]);
      expect(error.summary).toMatchObject({ new: 1, imported: 1, messagesSent: 1 });
      const home = await findingsIn(central.home);
      expect(home.map((f) => [f.Id, f.AwsAccountId])).toEqual([[findingIdOf(own), central.home]]);
      const alerts = (await box.drain()).envelope;
      expect(alerts.map((d) => d.body.finding?.id)).toEqual([findingIdOf(own)]);
    });
  });
});
