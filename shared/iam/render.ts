import type { CfnString, PolicyStatement } from './statements.js';

/** Markers around the derived statements in a hand-written template (infra/member-account.yml). */
export const BEGIN_MARKER = '# BEGIN derived read statements';
export const END_MARKER = '# END derived read statements';

const scalar = (value: CfnString): string =>
  typeof value === 'string' ? `'${value}'` : `!Sub '${value['Fn::Sub']}'`;

/** Statements as block YAML (CloudFormation short form for `Fn::Sub`), each line prefixed with `indent`. */
export const statementsYaml = (statements: readonly PolicyStatement[], indent: string): string[] =>
  statements.flatMap((s) => [
    `${indent}- Sid: ${s.Sid}`,
    `${indent}  Effect: ${s.Effect}`,
    `${indent}  Action:`,
    ...s.Action.map((a) => `${indent}    - ${a}`),
    `${indent}  Resource:`,
    ...s.Resource.map((r) => `${indent}    - ${scalar(r)}`),
  ]);

/** The marker-delimited block could not be found. */
export class MissingMarkersError extends Error {
  override readonly name = 'MissingMarkersError';
  readonly code = 'MISSING_MARKERS';
}

/**
 * `template` with the lines between {@link BEGIN_MARKER} and {@link END_MARKER} replaced by
 * `statements`, indented like the begin marker.
 */
export const replaceDerivedBlock = (template: string, statements: readonly PolicyStatement[]): string => {
  const lines = template.split('\n');
  const begin = lines.findIndex((l) => l.trim().startsWith(BEGIN_MARKER));
  const end = lines.findIndex((l, i) => i > begin && l.trim().startsWith(END_MARKER));
  if (begin < 0 || end < 0)
    throw new MissingMarkersError(`No "${BEGIN_MARKER}" … "${END_MARKER}" block found`);
  const indent = /^\s*/.exec(lines[begin]!)![0];
  return [...lines.slice(0, begin + 1), ...statementsYaml(statements, indent), ...lines.slice(end)].join(
    '\n',
  );
};
