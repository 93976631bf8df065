/**
 * A central deployment (account C) receiving a member account's forwarded CloudTrail call: the deployed
 * onConfigChange function re-evaluates the member's source through the member role and records the finding in
 * the member account's Security Hub (AwsAccountId and product ARN of the member), none in C; the alert goes out
 * from C. The next event reads the previous state from the member: the fix resolves the finding there.
 */
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { productArn } from '../../../shared/publish/links.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { FIXTURE_ACCOUNT, lambdaContext, loadEvent, rewrite } from '../../fixtures/events/index.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const RULE = 'versioning_destination_enabled';

const hubOf = (account: string): SecurityHubClient =>
  withAccount(new SecurityHubClient(emulatorClientConfig(endpoint)), account);

/** ReplGuard's findings of `rule` in `account`'s Security Hub (us-east-1), read as that account. */
const findingsIn = async (account: string, rule = RULE): Promise<AwsSecurityFinding[]> => {
  const out = await hubOf(account).send(
    new GetFindingsCommand({
      Filters: { GeneratorId: [{ Value: `replguard/${rule}`, Comparison: 'EQUALS' }] },
      MaxResults: 100,
    }),
  );
  return out.Findings ?? [];
};

describe('onConfigChange in a central account, for a member account (against the emulator)', () => {
  let central: Scenario;
  let member: Scenario;
  let pair: ReplicationPath;
  let box: Inbox;
  let handler: Awaited<ReturnType<typeof loadFunction>>;

  /** The member's PutBucketVersioning call on the pair's destination, as the member template forwards it. */
  const forwarded = () =>
    rewrite(loadEvent('cloudtrail', 's3-put-bucket-versioning'), {
      [FIXTURE_ACCOUNT]: member.home,
      'phi-dr': pair.destination.name,
      'us-west-2': pair.destination.region,
    });
  const call = (event: unknown) =>
    handler(event, lambdaContext('onConfigChange')) as Promise<Record<string, unknown>>;
  const alerts = async (): Promise<string[]> =>
    (await box.drain()).envelope
      .filter((a) => a.attributes.ruleId === RULE)
      .map((a) => `${a.body.transition} ${a.body.finding?.accountId}`);

  beforeAll(async () => {
    central = await scenario(endpoint, { account: testAccount(import.meta.url) });
    member = await scenario(endpoint, { account: central.peer('member') });
    pair = await member.replicatedPair({ name: 'fwd-phi', crossAccount: false, crossRegion: false });
    for (const account of [central.home, member.home])
      await hubOf(account).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    box = await inbox(central, 'member-fwd');
    await functionEnvironment(central, box.topicArn);
    handler = await loadFunction('onConfigChange');
  });

  it("records the member's new finding in the member's Security Hub only, and alerts from the central account", async () => {
    await member.setVersioning(pair.destination, 'Suspended');
    expect(await call(forwarded())).toMatchObject({ evaluated: [pair.source.name] });
    const [finding, ...more] = await findingsIn(member.home);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      AwsAccountId: member.home,
      ProductArn: productArn('us-east-1', member.home),
      RecordState: 'ACTIVE',
    });
    expect(await findingsIn(central.home)).toEqual([]);
    expect(await alerts()).toEqual([`new ${member.home}`]);
  });

  it('reads the previous state from the member account: a repeated event is not new, the fix resolves it there', async () => {
    await call(forwarded());
    expect(await alerts()).toEqual([]);
    await member.setVersioning(pair.destination, 'Enabled');
    await call(forwarded());
    expect(await alerts()).toEqual([`resolved ${member.home}`]);
    expect(await findingsIn(member.home)).toEqual([
      expect.objectContaining({ AwsAccountId: member.home, RecordState: 'ARCHIVED' }),
    ]);
    expect(await findingsIn(central.home)).toEqual([]);
  });
});
