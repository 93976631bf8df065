import { readFile } from 'node:fs/promises';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ClientFactory } from '../../aws/clientFactory.js';
import { ServiceId } from '../../aws/endpoint.js';
import { awsErrorCode, isAccessDenied } from '../../aws/errors.js';
import { EMPTY_EXCEPTIONS, type ExceptionSet, parseExceptions } from '../../findings/exceptions.js';

/**
 * The risk exceptions in an SSM parameter (String or SecureString). A parameter that does not exist means no
 * exceptions; one that cannot be read is reported as a problem (and no exception applies: the findings page).
 */
export const readExceptionsParameter = async (
  factory: ClientFactory,
  name: string,
  ruleIds: ReadonlySet<string>,
): Promise<ExceptionSet> => {
  const source = `SSM parameter ${name}`;
  try {
    const out = await factory
      .client(SSMClient, ServiceId.SSM)
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return parseExceptions(out.Parameter?.Value ?? '', source, ruleIds);
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'ParameterNotFound') return { ...EMPTY_EXCEPTIONS, source };
    const why = isAccessDenied(error)
      ? `not allowed to read it: grant ssm:GetParameter on it (and kms:Decrypt for a SecureString)`
      : `${code ?? 'error'}: ${(error as Error).message}`;
    return {
      exceptions: [],
      problems: [`${source} could not be read (${why}); no exception applies`],
      source,
    };
  }
};

/** The risk exceptions in a local file (`replguard scan --exceptions-file`). */
export const readExceptionsFile = async (
  path: string,
  ruleIds: ReadonlySet<string>,
): Promise<ExceptionSet> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      exceptions: [],
      problems: [`${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`],
      source: path,
    };
  }
  return parseExceptions(text, path, ruleIds);
};
