import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { ServiceId } from '../../aws/endpoint.js';
import { type Datum, DataSource, known, unknown, type UnknownDatum } from '../../model/datum.js';
import type { NamedPolicy, PolicyDocument, RoleInfo } from '../../model/snapshot.js';
import { accountOfArn, roleNameOfArn } from '../normalise/arn.js';
import { parsePolicy } from '../normalise/s3Api.js';
import { type ReadOptions, safeRead } from '../safeRead.js';
import type { ScanSession } from '../session.js';

/** SDK v3 names IAM's `NoSuchEntity` error `NoSuchEntityException`; either means "not there". */
const NO_SUCH_ENTITY = ['NoSuchEntity', 'NoSuchEntityException'] as const;

/** Thrown inside a role read to stop at the first unreadable part; the role datum becomes that unknown. */
class Unreadable extends Error {
  constructor(readonly datum: UnknownDatum) {
    super(datum.reason);
  }
}

/** Runs a read that must succeed for the role to be known. */
const must = async <T>(call: () => Promise<T>, options: ReadOptions<T>): Promise<T> => {
  const datum = await safeRead(call, options);
  if (!datum.known) throw new Unreadable(datum);
  return datum.value;
};

/** A policy document IAM returned (URL-encoded JSON), or an unknown naming what could not be parsed. */
const documentOf = (text: string | undefined, what: string): PolicyDocument => {
  try {
    const doc = parsePolicy(text);
    if (doc) return doc;
  } catch {
    // falls through to the unknown below
  }
  throw new Unreadable(unknown(`${what} is not a policy document`));
};

/** All pages of a Marker/IsTruncated IAM listing. */
const allPages = async <T>(page: (marker: string | undefined) => Promise<{ items: T[]; next?: string }>) => {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    items.push(...out.items);
    marker = out.next;
  } while (marker);
  return items;
};

/** A managed policy's default version document, read once per scan (roles share managed policies). */
const readManagedPolicy = (session: ScanSession, iam: IAMClient, accountId: string, arn: string) =>
  session.once(`iam-policy|${accountId}|${arn}`, async (): Promise<Datum<NamedPolicy>> => {
    try {
      const policy = await must(
        async () => (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy,
        {
          permission: 'iam:GetPolicy',
        },
      );
      const version = await must(
        async () =>
          (
            await iam.send(
              new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy?.DefaultVersionId }),
            )
          ).PolicyVersion,
        { permission: 'iam:GetPolicyVersion' },
      );
      return known({
        name: policy?.PolicyName ?? arn.split('/').pop() ?? arn,
        arn,
        document: documentOf(version?.Document, `managed policy ${arn}`),
      });
    } catch (error) {
      if (error instanceof Unreadable) return error.datum;
      throw error;
    }
  });

const managed = async (session: ScanSession, iam: IAMClient, accountId: string, arn: string) => {
  const datum = await readManagedPolicy(session, iam, accountId, arn);
  if (!datum.known) throw new Unreadable(datum);
  return datum.value;
};

const readRoleNow = async (session: ScanSession, roleArn: string): Promise<Datum<RoleInfo | null>> => {
  const name = roleNameOfArn(roleArn);
  const accountId = accountOfArn(roleArn);
  if (!name || !accountId)
    return unknown(
      `${roleArn || 'the replication role'} is not an IAM role ARN`,
      undefined,
      DataSource.Derived,
    );
  const iam = await session.factory.clientIn(IAMClient, ServiceId.IAM, accountId);
  const role = await safeRead(
    async () => (await iam.send(new GetRoleCommand({ RoleName: name }))).Role ?? null,
    {
      permission: 'iam:GetRole',
      absentWhen: Object.fromEntries(NO_SUCH_ENTITY.map((c) => [c, null])),
    },
  );
  if (!role.known || role.value === null) return role as Datum<null>;
  try {
    const inlineNames = await allPages(async (Marker) => {
      const out = await must(() => iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker })), {
        permission: 'iam:ListRolePolicies',
      });
      return { items: out.PolicyNames ?? [], ...(out.IsTruncated && out.Marker ? { next: out.Marker } : {}) };
    });
    const attached = await allPages(async (Marker) => {
      const out = await must(
        () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker })),
        {
          permission: 'iam:ListAttachedRolePolicies',
        },
      );
      return {
        items: out.AttachedPolicies ?? [],
        ...(out.IsTruncated && out.Marker ? { next: out.Marker } : {}),
      };
    });
    const boundaryArn = role.value.PermissionsBoundary?.PermissionsBoundaryArn;
    const [inlinePolicies, managedPolicies, permissionsBoundary] = await Promise.all([
      Promise.all(
        inlineNames.map(async (policyName) => {
          const out = await must(
            () => iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
            {
              permission: 'iam:GetRolePolicy',
            },
          );
          return {
            name: policyName,
            document: documentOf(out.PolicyDocument, `inline policy ${policyName}`),
          };
        }),
      ),
      Promise.all(
        attached
          .filter((p) => p.PolicyArn)
          .map((p) => managed(session, iam, accountId, p.PolicyArn as string)),
      ),
      boundaryArn ? managed(session, iam, accountId, boundaryArn) : Promise.resolve(undefined),
    ]);
    return known({
      arn: role.value.Arn ?? roleArn,
      name,
      accountId,
      trustPolicy: documentOf(role.value.AssumeRolePolicyDocument, `the trust policy of ${roleArn}`),
      inlinePolicies,
      managedPolicies,
      ...(permissionsBoundary ? { permissionsBoundary } : {}),
    });
  } catch (error) {
    if (error instanceof Unreadable) return error.datum;
    throw error;
  }
};

/**
 * The replication role, read in its own account (through the cross-account role when that is not ours):
 * trust policy, inline policies, attached managed policies (default versions) and permissions boundary.
 * `null` when the role does not exist; unknown, naming the permission, when any part cannot be read.
 * Read once per scan.
 */
export const readRole = (session: ScanSession, roleArn: string): Promise<Datum<RoleInfo | null>> =>
  session.once(`iam-role|${roleArn}`, () => readRoleNow(session, roleArn));

/** The names of the roles a managed policy is attached to, in `accountId` (a new default version changes them). */
export const rolesAttachedTo = async (
  session: ScanSession,
  accountId: string,
  policyArn: string,
): Promise<string[]> => {
  const iam = await session.factory.clientIn(IAMClient, ServiceId.IAM, accountId);
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const out = await iam.send(
      new ListEntitiesForPolicyCommand({
        PolicyArn: policyArn,
        EntityFilter: 'Role',
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    names.push(...(out.PolicyRoles ?? []).map((r) => r.RoleName ?? '').filter(Boolean));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return names;
};
