import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readKey } from '../../../../shared/collect/readers/kms.js';
import type { KeyInfo } from '../../../../shared/model/snapshot.js';
import { testAccount } from '../../../emulator/accounts.js';
import { type KeyHandle, type Scenario, scenario } from '../../../scenarios/builder.js';
import { keyPolicy } from '../../../scenarios/builder/policies.js';

const endpoint = inject('emulatorEndpoint');
const REGION = 'us-west-2';

describe('readKey', () => {
  let env: Scenario;
  let dst: string;
  let key: KeyHandle;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/kms') });
    dst = env.peer('dr');
    await env.readOnlyRole(dst);
    key = await env.key({
      account: dst,
      region: REGION,
      alias: 'phi-replica',
      policy: keyPolicy(dst, ['arn:aws:iam::111111111111:role/r']),
    });
  });

  it.each(['arn', 'alias-arn', 'id', 'alias'] as const)(
    'resolves a key referenced by %s in the account and Region where it is used',
    async (kind) => {
      const ref = key.ref(kind);
      const datum = await readKey(env.session(), { ref, region: REGION, accountId: dst });
      expect(datum.known).toBe(true);
      const info = (datum.known ? datum.value : null) as KeyInfo | null;
      expect(info).toMatchObject({
        ref,
        keyArn: key.arn,
        keyId: key.keyId,
        accountId: dst,
        region: REGION,
        state: 'Enabled',
        manager: 'CUSTOMER',
      });
      expect(info?.policy).toEqual({
        known: true,
        value: keyPolicy(dst, ['arn:aws:iam::111111111111:role/r']),
        source: 'api',
      });
    },
  );

  it.each([
    ['a missing alias', 'alias/does-not-exist'],
    ['a missing key id', '00000000-0000-4000-8000-000000000000'],
  ])('is known(null) for %s', async (_case, ref) => {
    expect(await readKey(env.session(), { ref, region: REGION, accountId: dst })).toEqual({
      known: true,
      value: null,
      source: 'api',
    });
  });

  it.each(['Disabled', 'PendingDeletion'] as const)('reports a %s key with its state', async (state) => {
    const broken = await env.key({ account: dst, region: REGION, state });
    const datum = await readKey(env.session(), { ref: broken.arn, region: REGION, accountId: dst });
    expect(datum.known && datum.value?.state).toBe(state);
  });

  it('keeps the key but marks its policy unknown, naming kms:GetKeyPolicy, when that call is denied', async () => {
    const datum = await readKey(env.session({ deny: ['KMS:GetKeyPolicy'] }), {
      ref: key.arn,
      region: REGION,
      accountId: dst,
    });
    expect(datum.known && datum.value?.state).toBe('Enabled');
    expect(datum.known && datum.value?.policy).toEqual({
      known: false,
      reason: 'AccessDenied on kms:GetKeyPolicy',
      permission: 'kms:GetKeyPolicy',
      source: 'api',
    });
  });

  it('is unknown naming kms:DescribeKey when DescribeKey is denied', async () => {
    const datum = await readKey(env.session({ deny: ['KMS:DescribeKey'] }), {
      ref: key.arn,
      region: REGION,
      accountId: dst,
    });
    expect(datum).toMatchObject({ known: false, permission: 'kms:DescribeKey' });
  });

  it('describes a key once per reference and reads its policy once per scan', async () => {
    const session = env.session();
    await Promise.all(
      (['arn', 'alias-arn', 'arn'] as const).map((kind) =>
        readKey(session, { ref: key.ref(kind), region: REGION, accountId: dst }),
      ),
    );
    const calls = session.factory.counter.snapshot();
    expect(calls['KMS:DescribeKey']).toBe(2);
    expect(calls['KMS:GetKeyPolicy']).toBe(1);
  });
});
