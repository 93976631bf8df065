import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ServiceId } from '../../aws/endpoint.js';
import { type Datum, known, unknown } from '../../model/datum.js';
import { type KeyInfo, keyRefId, type PolicyDocument } from '../../model/snapshot.js';
import { parseArn } from '../normalise/arn.js';
import { parsePolicy } from '../normalise/s3Api.js';
import { safeRead } from '../safeRead.js';
import type { ScanSession } from '../session.js';

/** A key reference and where it is used: bare ids and alias names resolve in that Region and account. */
export interface KeyRef {
  /** As configured: key id, key ARN, alias name or alias ARN. */
  readonly ref: string;
  readonly region: string;
  readonly accountId: string;
}

/** Where a reference really points: an ARN names its own Region and account. */
export const locateKeyRef = (key: KeyRef): KeyRef => {
  const arn = key.ref.startsWith('arn:') ? parseArn(key.ref) : undefined;
  return arn?.region && arn.accountId ? { ref: key.ref, region: arn.region, accountId: arn.accountId } : key;
};

/** The id a reference is stored under in `Snapshot.keys`. */
export const keyRefIdOf = (key: KeyRef): string => keyRefId(key.ref, key.region, key.accountId);

/** The key policy (policy name `default`), read once per key per scan. */
const readKeyPolicy = (
  session: ScanSession,
  kms: KMSClient,
  keyArn: string,
): Promise<Datum<PolicyDocument>> =>
  session.once(`kms-policy|${keyArn}`, async () => {
    const policy = await safeRead(
      async () => (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))).Policy,
      { permission: 'kms:GetKeyPolicy' },
    );
    if (!policy.known) return policy;
    try {
      const doc = parsePolicy(policy.value);
      if (doc) return known(doc);
    } catch {
      // reported below
    }
    return unknown(`the key policy of ${keyArn} is not a policy document`);
  });

/**
 * A KMS key by any reference, resolved in the Region and account where it is used (through the cross-account
 * role for another account): DescribeKey for state, manager and ARN, GetKeyPolicy for the policy.
 * `null` when the key or alias does not exist. Read once per reference per scan.
 */
export const readKey = (session: ScanSession, where: KeyRef): Promise<Datum<KeyInfo | null>> => {
  const key = locateKeyRef(where);
  return session.once(`kms-key|${keyRefIdOf(key)}`, async () => {
    const kms = await session.factory.clientIn(KMSClient, ServiceId.KMS, key.accountId, key.region);
    const described = await safeRead(
      async () => (await kms.send(new DescribeKeyCommand({ KeyId: key.ref }))).KeyMetadata ?? null,
      { permission: 'kms:DescribeKey', absentWhen: { NotFoundException: null } },
    );
    if (!described.known || described.value === null) return described as Datum<null>;
    const md = described.value;
    const keyArn = md.Arn ?? keyRefIdOf({ ...key, ref: md.KeyId ?? key.ref });
    const arn = parseArn(keyArn);
    return known({
      ref: key.ref,
      keyArn,
      keyId: md.KeyId ?? arn?.resource.replace(/^key\//, '') ?? key.ref,
      accountId: md.AWSAccountId ?? arn?.accountId ?? key.accountId,
      region: arn?.region || key.region,
      state: md.KeyState ?? 'Unavailable',
      manager: md.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
      policy: await readKeyPolicy(session, kms, keyArn),
    });
  });
};
