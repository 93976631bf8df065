import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CollectError } from '../../../shared/collect/errors.js';
import { isNotInItem, NOT_IN_ITEM, normaliseConfigItem } from '../../../shared/collect/fromConfigItem.js';
import type { SourceBucket } from '../../../shared/model/snapshot.js';
import {
  DESTINATION_ACCOUNT,
  itemFromInvokingEvent,
  loadConfigItem,
  REPLICA_KEY_ALIAS_ARN,
  SOURCE_ACCOUNT,
  SOURCE_KEY_ARN,
} from '../../fixtures/config-items/index.js';

const sourceOf = (item: unknown): SourceBucket => {
  const out = normaliseConfigItem(item);
  if (out.deleted) throw new Error('expected a live bucket');
  return out.source;
};

const value = <K extends keyof SourceBucket>(source: SourceBucket, key: K) => {
  const d = source[key] as { known: boolean; value?: unknown };
  if (!d.known) throw new Error(`${String(key)} is unknown`);
  return d.value;
};

/** The three encodings of the same replicated bucket must normalise identically. */
const replicatedForms: [string, () => unknown][] = [
  ['supplementary values as objects', () => loadConfigItem('replicated-objects')],
  ['supplementary values as JSON strings', () => loadConfigItem('replicated-strings')],
  ['the item inside a Config rule invocation', itemFromInvokingEvent],
  ['the whole item given as JSON text', () => JSON.stringify(loadConfigItem('replicated-objects'))],
];

describe('normaliseConfigItem', () => {
  describe.each(replicatedForms)('a replicated SSE-KMS bucket, %s', (_form, load) => {
    const source = sourceOf(load());

    it('reads identity from the item', () => {
      expect(source).toMatchObject({
        name: 'phi-records',
        arn: 'arn:aws:s3:::phi-records',
        accountId: SOURCE_ACCOUNT,
        region: 'us-east-1',
      });
    });

    it('reads versioning, encryption with the bucket key, and Object Lock', () => {
      expect(value(source, 'versioning')).toBe('Enabled');
      expect(value(source, 'encryption')).toEqual({
        algorithm: 'aws:kms',
        kmsKeyId: SOURCE_KEY_ARN,
        bucketKeyEnabled: true,
      });
      expect(value(source, 'objectLock')).toEqual({
        enabled: true,
        defaultRetention: { mode: 'COMPLIANCE', days: 2190 },
      });
    });

    it('parses the policy text and the tag sets', () => {
      expect(value(source, 'policy')).toMatchObject({
        Statement: [
          { Sid: 'DenyInsecureTransport', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      });
      expect(value(source, 'tags')).toEqual({ DataClassification: 'PHI', Owner: 'records-team' });
    });

    it('reads the notification map by type', () => {
      expect(value(source, 'notifications')).toEqual({
        eventBridgeEnabled: false,
        targets: [
          {
            type: 'sqs',
            arn: `arn:aws:sqs:us-east-1:${SOURCE_ACCOUNT}:replguard-replication-events`,
            events: ['s3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold'],
          },
          {
            type: 'sns',
            arn: `arn:aws:sns:us-east-1:${SOURCE_ACCOUNT}:phi-audit`,
            events: ['s3:ObjectRemoved:*'],
          },
        ],
      });
    });

    it('reads the rules map keyed by rule id, with every destination field', () => {
      expect(value(source, 'replication')).toEqual({
        role: `arn:aws:iam::${SOURCE_ACCOUNT}:role/service-role/phi-replication`,
        rules: [
          {
            id: 'phi-to-dr',
            priority: 1,
            status: 'Enabled',
            filter: { prefix: '' },
            deleteMarkerReplication: 'Enabled',
            sseKmsEncryptedObjects: 'Enabled',
            destination: {
              bucketArn: 'arn:aws:s3:::phi-records-dr',
              bucket: 'phi-records-dr',
              account: DESTINATION_ACCOUNT,
              storageClass: 'STANDARD_IA',
              accessControlTranslationOwner: 'Destination',
              replicaKmsKeyId: REPLICA_KEY_ALIAS_ARN,
              metrics: { status: 'Enabled', eventThresholdMinutes: 15 },
              replicationTime: { status: 'Enabled', minutes: 15 },
            },
          },
          {
            id: 'imaging-archive',
            priority: 2,
            status: 'Disabled',
            filter: { prefix: 'imaging/', tags: [{ key: 'Retention', value: '7y' }] },
            deleteMarkerReplication: 'Disabled',
            destination: { bucketArn: 'arn:aws:s3:::phi-records-archive', bucket: 'phi-records-archive' },
          },
        ],
      });
    });

    it('marks every datum as coming from the configuration item', () => {
      for (const key of [
        'versioning',
        'encryption',
        'objectLock',
        'policy',
        'notifications',
        'tags',
        'replication',
      ] as const)
        expect(source[key].source).toBe('config');
    });
  });

  describe('a plain bucket with Config sentinels', () => {
    const source = sourceOf(loadConfigItem('plain-bucket'));

    it('reads versioning Off, policyText null as no policy, an empty notification map and empty tags', () => {
      expect(value(source, 'versioning')).toBe('Off');
      expect(value(source, 'policy')).toBeNull();
      expect(value(source, 'notifications')).toEqual({ targets: [], eventBridgeEnabled: false });
      expect(value(source, 'tags')).toEqual({});
    });

    it.each(['encryption', 'objectLock', 'replication'] as const)(
      'leaves %s unknown ("not in the configuration item"), not false, when the item lacks it',
      (key) => {
        const datum = source[key];
        expect(datum).toEqual({ known: false, reason: NOT_IN_ITEM, source: 'config' });
        expect(isNotInItem(datum)).toBe(true);
      },
    );
  });

  describe('a legacy replication rule', () => {
    const source = sourceOf(loadConfigItem('legacy-replication'));

    it('takes the rule-level prefix, a capitalised Account and skips null storage classes', () => {
      const replication = value(source, 'replication') as { rules: unknown[] };
      expect(replication.rules).toEqual([
        {
          id: 'billing-exports',
          status: 'Enabled',
          filter: { prefix: 'exports/' },
          destination: {
            bucketArn: 'arn:aws:s3:::billing-exports-west',
            bucket: 'billing-exports-west',
            account: DESTINATION_ACCOUNT,
          },
        },
      ]);
    });

    it('reads Suspended versioning and SSE-S3 without a key', () => {
      expect(value(source, 'versioning')).toBe('Suspended');
      expect(value(source, 'encryption')).toEqual({ algorithm: 'AES256', bucketKeyEnabled: false });
    });
  });

  it('reports a deleted bucket without normalising its (empty) configuration', () => {
    expect(normaliseConfigItem(loadConfigItem('deleted'))).toEqual({
      deleted: true,
      name: 'phi-records-old',
      arn: 'arn:aws:s3:::phi-records-old',
      accountId: SOURCE_ACCOUNT,
      region: 'us-east-1',
      captureTime: '2025-03-05T12:00:00.000Z',
    });
  });

  it('treats a supplementary value that fails to parse as not in the item, saying why', () => {
    const item = loadConfigItem('plain-bucket');
    (item.supplementaryConfiguration as Record<string, unknown>).BucketPolicy = '{"policyText":"{not json"}';
    const policy = sourceOf(item).policy;
    expect(policy.known).toBe(false);
    expect(isNotInItem(policy)).toBe(true);
    expect(policy.known ? '' : policy.reason).toMatch(/bucket policy could not be parsed/);
  });

  it.each<[string, (item: Record<string, unknown>) => void, RegExp]>([
    ['another resource type', (i) => void (i.resourceType = 'AWS::S3::AccessPoint'), /AWS::S3::AccessPoint/],
    ['no Region', (i) => void delete i.awsRegion, /the Region/],
    ['no account', (i) => void delete i.accountId, /the account/],
  ])('rejects an item with %s as INVALID_CONFIG_ITEM', (_case, change, message) => {
    const item = loadConfigItem('plain-bucket');
    change(item);
    expect(() => normaliseConfigItem(item)).toThrow(CollectError);
    expect(() => normaliseConfigItem(item)).toThrow(message);
  });

  it('rejects text that is not an item', () => {
    expect(() => normaliseConfigItem('not json')).toThrow(/not an object/);
  });
});

describe('normaliseConfigItem on arbitrary supplementary values', () => {
  const settings = [
    'BucketVersioningConfiguration',
    'ServerSideEncryptionConfiguration',
    'ObjectLockConfiguration',
    'BucketPolicy',
    'BucketNotificationConfiguration',
    'BucketTaggingConfiguration',
    'BucketReplicationConfiguration',
  ];

  it('never throws for a well-identified item, and every datum is known or "not in the configuration item"', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...settings),
          fc.oneof(
            fc.jsonValue(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        (supplementary) => {
          const item = { ...loadConfigItem('plain-bucket'), supplementaryConfiguration: supplementary };
          const source = sourceOf(item);
          for (const key of [
            'versioning',
            'encryption',
            'objectLock',
            'policy',
            'notifications',
            'replication',
          ] as const) {
            const datum = source[key];
            expect(datum.known || isNotInItem(datum)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
