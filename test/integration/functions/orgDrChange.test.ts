/**
 * The headline gap of issue 14: a change in a DR account re-evaluates the sources in other accounts that
 * replicate into it, through the Organization-wide edge index (DynamoDB in the emulator).
 *
 * Source S in account A replicates (SSE-KMS, cross-Region) to D in account B: B's bucket policy grants A's
 * replication role, B's replica key lets it encrypt. The central deployment runs in account A (its
 * functions' role, its edge table, its findings topic and Security Hub), reading B through B's
 * ReplGuardReadOnly role, as a delegated administrator account reads every member.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { PutBucketPolicyCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { testAccount } from '../../emulator/accounts.js';
import { createEdgesTable, dynamoClient } from '../../scenarios/builder/edges.js';
import { destinationBucketPolicy, keyPolicy, tlsOnlyPolicy } from '../../scenarios/builder/policies.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { FIXTURE_ACCOUNT, lambdaContext, loadEvent, rewrite } from '../../fixtures/events/index.js';
import { enableSecurityHub, inbox, type Inbox } from '../publish/inbox.js';
import { functionEnvironment, loadFunction } from './harness.js';

const endpoint = inject('emulatorEndpoint');
const TABLE = 'replguard-test-edges';

describe('onConfigChange with the Organization-wide edge index (a DR-account change, against the emulator)', () => {
  let a: Scenario;
  let path: ReplicationPath;
  let b: string;
  let box: Inbox;
  let handler: Awaited<ReturnType<typeof loadFunction>>;

  const call = (event: unknown) =>
    handler(event, lambdaContext('onConfigChange')) as Promise<Record<string, unknown>>;

  /** Alerts since the last call, as `transition ruleId bucket`. */
  const alerts = async () =>
    (await box.drain()).envelope
      .map((m) => ({ line: `${m.body.transition} ${m.attributes.ruleId} ${m.attributes.bucket}`, m }))
      .sort((x, y) => x.line.localeCompare(y.line));

  /** PutBucketReplication on S, made in account A. */
  const putReplication = () =>
    rewrite(loadEvent('cloudtrail', 's3-put-bucket-replication'), {
      [FIXTURE_ACCOUNT]: a.home,
      'phi-prod': path.source.name,
      'us-east-1': path.source.region,
    });

  /** PutBucketPolicy on D, made in the DR account B. */
  const drPolicyChange = () =>
    rewrite(loadEvent('cloudtrail', 's3-put-bucket-versioning'), {
      [FIXTURE_ACCOUNT]: b,
      PutBucketVersioning: 'PutBucketPolicy',
      'phi-dr': path.destination.name,
      'us-west-2': path.destination.region,
    });

  const setDestinationPolicy = async (policy: unknown) =>
    a
      .clients(b, path.destination.region)
      .s3.send(new PutBucketPolicyCommand({ Bucket: path.destination.name, Policy: JSON.stringify(policy) }));

  beforeAll(async () => {
    a = await scenario(endpoint, { account: testAccount(import.meta.url) });
    // The rule names the replica key by its alias ARN: the edge is indexed by the key id it resolves to.
    path = await a.replicatedPair({
      name: 'org-dr',
      crossAccount: true,
      crossRegion: true,
      kms: true,
      replicaKeyRef: 'alias-arn',
    });
    b = path.destination.account;
    await createEdgesTable(dynamoClient(endpoint, a.home, a.region), TABLE);
    await enableSecurityHub(a);
    box = await inbox(a, 'org-dr');
    await functionEnvironment(a, box.topicArn, { REPLGUARD_EDGES_TABLE: TABLE });
    handler = await loadFunction('onConfigChange');
  });

  it('is a cross-account pair: S in A, D in B', () => {
    expect(b).not.toBe(a.home);
    expect(path.source.account).toBe(a.home);
  });

  it('negative control: with no edge in the table, a change in B does not reach S (the old behaviour)', async () => {
    await setDestinationPolicy(tlsOnlyPolicy(path.destination.name));
    const out = await call(drPolicyChange());
    expect(out).toMatchObject({ eventName: 'PutBucketPolicy', edgeIndex: { sources: [] } });
    expect(out.evaluated).not.toContain(path.source.name);
    expect((await alerts()).map((x) => x.line)).toEqual([]);
  });

  it('learns the edges of S from its PutBucketReplication event', async () => {
    const out = await call(putReplication());
    expect(out).toMatchObject({ evaluated: [path.source.name] });
    // the destination's policy was already broken: this first evaluation reports it
    const raised = (await alerts()).map((x) => x.line);
    expect(raised).toContain(`new destination_policy_allows_role ${path.source.name}`);
    // put the grant back and re-evaluate S from A: the finding resolves
    await setDestinationPolicy(destinationBucketPolicy(path.destination.name, [path.role.arn]));
    await call(putReplication());
    expect((await alerts()).map((x) => x.line)).toContain(
      `resolved destination_policy_allows_role ${path.source.name}`,
    );
  });

  it("re-evaluates S in A when B's bucket policy stops granting A's replication role, naming the permission", async () => {
    await setDestinationPolicy(tlsOnlyPolicy(path.destination.name));
    const out = await call(drPolicyChange());
    expect(out).toMatchObject({
      eventName: 'PutBucketPolicy',
      evaluated: expect.arrayContaining([path.source.name]),
      edgeIndex: { sources: [`${a.home}/${path.source.name}`] },
    });
    const raised = await alerts();
    const failed = raised.find((x) => x.line === `new destination_policy_allows_role ${path.source.name}`);
    expect(failed, raised.map((x) => x.line).join('\n')).toBeDefined();
    expect(failed?.m.raw).toContain('s3:ReplicateObject');
    expect(failed?.m.raw).toContain(path.destination.name);
  });

  it("re-evaluates S in A when B's replica key stops letting A's role encrypt (looked up by key id)", async () => {
    const key = path.replicaKey;
    if (!key) throw new Error('no replica key');
    expect(path.replicaKeyRef).toContain(':alias/');
    await a.clients(b, key.region).kms.send(
      new PutKeyPolicyCommand({
        KeyId: key.keyId,
        PolicyName: 'default',
        Policy: JSON.stringify(keyPolicy(b)),
      }),
    );
    const event = rewrite(loadEvent('cloudtrail', 'kms-put-key-policy'), {
      [FIXTURE_ACCOUNT]: b,
      '1111aaaa-0000-4000-8000-000000000001': key.keyId,
      'us-east-1': key.region,
    });
    const out = await call(event);
    expect(out).toMatchObject({
      eventName: 'PutKeyPolicy',
      evaluated: [path.source.name],
      edgeIndex: { sources: [`${a.home}/${path.source.name}`] },
    });
    expect((await alerts()).map((x) => x.line)).toContain(
      `new kms_destination_encrypt_allowed ${path.source.name}`,
    );
  });

  it('forgets S when its replication is deleted: a change in B no longer reaches it', async () => {
    const del = rewrite(putReplication(), { PutBucketReplication: 'DeleteBucketReplication' });
    await call(del);
    await alerts();
    const out = await call(drPolicyChange());
    expect(out).toMatchObject({ edgeIndex: { sources: [] } });
    expect(out.evaluated).not.toContain(path.source.name);
  });

  it('falls back to the account’s own index when the table cannot be read, and fails the invocation to be retried', async () => {
    await dynamoClient(endpoint, a.home, a.region).send(new DeleteTableCommand({ TableName: TABLE }));
    await a.clients().s3.send(
      new PutBucketVersioningCommand({
        Bucket: path.source.name,
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const event = rewrite(loadEvent('cloudtrail', 's3-put-bucket-versioning'), {
      [FIXTURE_ACCOUNT]: a.home,
      'phi-dr': path.source.name,
      'us-west-2': path.source.region,
    });
    await expect(call(event)).rejects.toMatchObject({
      name: 'EdgeStoreError',
      code: 'EDGES_UNREADABLE',
      message: expect.stringMatching(/^Only the event account's own replication index was used: .*dynamodb:/),
    });
    // the account's own index still found S: judged and published before the invocation failed
    expect((await alerts()).map((x) => x.line)).toContain(
      `new versioning_source_enabled ${path.source.name}`,
    );
  });
});
