import { defineRule, Hipaa } from './types.js';
import { need, resultsFor } from './result.js';

/** S3 refuses a replication configuration without source versioning, but it can be suspended afterwards. */
export const versioningSourceEnabled = defineRule({
  id: 'versioning_source_enabled',
  title: 'Replicated source buckets keep versioning enabled',
  problem: 'source versioning not enabled',
  severity: 'CRITICAL',
  hipaa: [Hipaa.DataBackup, Hipaa.Integrity],
  remediation: {
    text: 'Enable versioning on the source bucket. Objects written while it was suspended were not replicated: re-replicate them with S3 Batch Replication.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html',
  },
  permissions: ['s3:GetBucketVersioning'],
  evaluate(snapshot) {
    const results = resultsFor(versioningSourceEnabled, snapshot);
    const { name } = snapshot.source;
    const versioning = need(snapshot.source.versioning, `the versioning status of ${name}`, results);
    if (!versioning.ok) return [versioning.result];
    if (versioning.value === 'Enabled')
      return [results.compliant(`Versioning is Enabled on source bucket ${name}.`)];
    const state = versioning.value === 'Suspended' ? 'Suspended' : 'not enabled (never turned on)';
    return [
      results.nonCompliant(
        `Versioning on source bucket ${name} is ${state}; S3 replicates nothing written while versioning is not Enabled.`,
        `Enable versioning on ${name}, then replicate what was written meanwhile with S3 Batch Replication.`,
        {
          changes: [
            {
              kind: 'versioning',
              bucket: name,
              accountId: snapshot.source.accountId,
              region: snapshot.source.region,
            },
          ],
        },
      ),
    ];
  },
});
