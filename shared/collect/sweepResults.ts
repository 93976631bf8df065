/**
 * Reads what a Distributed Map run wrote with its ResultWriter: the manifest (`manifest.json`: `ResultFiles`
 * by status, each a list of `{ Key, Size }`) and the result files it names (JSON arrays of child executions,
 * each with `Status`, `Input` and `Output` as JSON text, and `Error`/`Cause` when it failed).
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { SweepError, SweepErrorCode } from '../model/sweep.js';

const fileList = z
  .array(z.looseObject({ Key: z.string().min(1) }))
  .optional()
  .default([]);

const manifestSchema = z.looseObject({
  ResultFiles: z.looseObject({ SUCCEEDED: fileList, FAILED: fileList, PENDING: fileList }),
});

const childSchema = z.looseObject({
  Status: z.string().optional(),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});
export type ChildExecution = z.infer<typeof childSchema>;

export interface MapRunResults {
  readonly succeeded: readonly ChildExecution[];
  readonly failed: readonly ChildExecution[];
  /** Result files of children still pending (an execution stopped or timed out). */
  readonly pendingFiles: number;
}

const readJson = async (s3: S3Client, bucket: string, key: string): Promise<unknown> => {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString('utf-8')) ?? '') as unknown;
  } catch (cause) {
    const why = cause instanceof Error ? ` (${cause.name})` : '';
    throw new SweepError(
      `Could not read the sweep results s3://${bucket}/${key}${why}: grant s3:GetObject on the sweep results bucket to the summary function, and check that the Map run wrote its results (ResultWriter)`,
      SweepErrorCode.ResultsUnreadable,
      { cause },
    );
  }
};

const parsed = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new SweepError(
      `${what} is not what a Distributed Map ResultWriter writes`,
      SweepErrorCode.ResultsUnreadable,
    );
  return result.data;
};

/** The child executions a Map run reported, from its manifest (`ResultWriterDetails`). */
export const readMapRunResults = async (
  factory: ClientFactory,
  manifest: { readonly Bucket: string; readonly Key: string },
): Promise<MapRunResults> => {
  const s3 = factory.client(S3Client, ServiceId.S3);
  const files = parsed(
    manifestSchema,
    await readJson(s3, manifest.Bucket, manifest.Key),
    'The manifest',
  ).ResultFiles;
  const read = async (list: readonly { Key: string }[]) =>
    (
      await Promise.all(
        list.map(async (f) =>
          parsed(z.array(childSchema), await readJson(s3, manifest.Bucket, f.Key), `Result file ${f.Key}`),
        ),
      )
    ).flat();
  return {
    succeeded: await read(files.SUCCEEDED),
    failed: await read(files.FAILED),
    pendingFiles: files.PENDING.length,
  };
};
