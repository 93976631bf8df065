/**
 * Every AWS API call the shared code makes is granted to the function roles: the reads derived from
 * the rules' declarations (plus discovery) or the function-specific statements of infra/stack/roles.yml.
 * A collector calling an API no rule declares would get AccessDenied in Lambda and turn into UNKNOWN
 * results; this finds it before deployment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionReadPermissions } from '../../../shared/iam/index.js';
import { rules } from '../../../shared/rules/index.js';
import type { Json } from './cfn.js';
import { infraTemplate, ROOT } from './cfn.js';

/** SDK client package → IAM service prefix, where they differ. */
const PREFIX: Record<string, string> = {
  'config-service': 'config',
  'secrets-manager': 'secretsmanager',
  's3-control': 's3',
};

/** S3 commands whose IAM action is not `s3:<command name>` (Service Authorization Reference). */
const S3_ACTION: Record<string, string> = {
  GetBucketReplication: 'GetReplicationConfiguration',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  ListBuckets: 'ListAllMyBuckets',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  HeadBucket: 'ListBucket',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  GetBucketMetricsConfiguration: 'GetMetricsConfiguration',
  // Always with VersionId (shared/collect/readers/objects.ts).
  HeadObject: 'GetObjectVersion',
  ListObjectVersions: 'ListBucketVersions',
  ListBucketInventoryConfigurations: 'GetInventoryConfiguration',
  ListObjectsV2: 'ListBucket',
};

/** Other commands whose IAM action has another name. */
const RENAMED: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };

/** Batch commands are authorised as their single form. */
const BATCH: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  'sns:PublishBatch': 'sns:Publish',
};

/** Calls that need no IAM permission. */
const UNAUTHORISED: ReadonlySet<string> = new Set(['sts:GetCallerIdentity']);

/** Code that runs in the functions (the CLI runs with a person's own credentials). */
const SCANNED = ['shared', 'functions'];
const NOT_IN_FUNCTIONS = [join('shared', 'cli')];

const sourceFiles = (dir: string): string[] => {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
};

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g;

/** `service:Action` of every SDK command imported (as a value) by the code the functions run. */
const sdkCalls = (): Map<string, string[]> => {
  const calls = new Map<string, string[]>();
  for (const file of SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    const rel = relative(ROOT, file);
    if (NOT_IN_FUNCTIONS.some((d) => rel.startsWith(d))) continue;
    for (const [, typeOnly, names, client] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (typeOnly) continue;
      const service = PREFIX[client!] ?? client!;
      for (const raw of names!.split(',')) {
        const name = raw.trim().split(/\s+as\s+/)[0]!;
        if (name.startsWith('type ') || !name.endsWith('Command')) continue;
        const command = name.slice(0, -'Command'.length);
        const action = `${service}:${service === 's3' ? (S3_ACTION[command] ?? command) : command}`;
        const granted = BATCH[action] ?? RENAMED[action] ?? action;
        if (UNAUTHORISED.has(granted)) continue;
        calls.set(granted, [...(calls.get(granted) ?? []), rel]);
      }
    }
  }
  return calls;
};

/** Actions of the function roles' own statements and the publish policy in infra/stack/roles.yml. */
const roleActions = (): Set<string> => {
  const { Resources } = infraTemplate(join('stack', 'roles.yml'));
  const actions = new Set<string>();
  const statementsOf = (resource: Json): Json[] =>
    resource.Type === 'AWS::IAM::Role'
      ? (resource.Properties.Policies as Json[]).flatMap((p) => p.PolicyDocument.Statement)
      : resource.Type === 'AWS::IAM::ManagedPolicy' &&
          !String(resource.Properties.PolicyDocument.Statement).startsWith('${')
        ? resource.Properties.PolicyDocument.Statement
        : [];
  for (const resource of Object.values(Resources))
    for (const s of statementsOf(resource))
      for (const a of [(s['Fn::If'] ? s['Fn::If'][1] : s).Action].flat() as string[]) actions.add(a);
  return actions;
};

describe('AWS calls of the function code', () => {
  const calls = sdkCalls();
  const granted = new Set([...functionReadPermissions(rules), ...roleActions()]);

  it('are found (the scan sees the collectors)', () => {
    expect(calls.has('s3:GetReplicationConfiguration')).toBe(true);
  });

  it.each([...calls.entries()].sort().map(([action, files]) => [action, files]))(
    '%s is granted to the function roles',
    (action, files) => {
      expect(
        granted.has(action),
        `${action} (called in ${[...new Set(files)].join(', ')}) is not granted: declare it in the rule that needs it`,
      ).toBe(true);
    },
  );
});
