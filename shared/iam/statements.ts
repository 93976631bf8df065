import { resourcesFor } from './resources.js';
import { parseAction } from './permissions.js';

/** A CloudFormation value: a literal string or `{ "Fn::Sub": template }`. */
export type CfnString = string | { readonly 'Fn::Sub': string };

/** An IAM policy statement as CloudFormation takes it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly CfnString[];
}

const pascal = (s: string): string =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** A template string with `${AWS::…}` becomes `Fn::Sub`; plain strings stay literal. */
export const cfnString = (s: string): CfnString => (s.includes('${') ? { 'Fn::Sub': s } : s);

/** The template behind a {@link CfnString}. */
export const templateOf = (value: CfnString): string =>
  typeof value === 'string' ? value : value['Fn::Sub'];

/**
 * Least-privilege statements for `actions`: one statement per service and resource set, each
 * action on the narrowest resources it accepts (see {@link resourcesFor}), in a stable order so the
 * generated template only changes when the declarations do.
 */
export const readStatements = async (
  actions: readonly string[],
  sidPrefix = 'Read',
): Promise<PolicyStatement[]> => {
  const groups = new Map<
    string,
    { service: string; types: readonly string[]; resources: readonly string[]; actions: string[] }
  >();
  for (const action of [...new Set(actions)].sort()) {
    const { service } = parseAction(action);
    const r = await resourcesFor(action);
    const key = `${service}|${r.resources.join(',')}`;
    const group = groups.get(key);
    if (group) group.actions.push(action);
    else groups.set(key, { service, types: r.resourceTypes, resources: r.resources, actions: [action] });
  }
  const sids = new Set<string>();
  return [...groups.values()]
    .sort(
      (a, b) => a.service.localeCompare(b.service) || a.resources.join().localeCompare(b.resources.join()),
    )
    .map((g) => {
      const base = `${sidPrefix}${pascal(g.service)}${g.types.length === 0 ? 'Any' : pascal(g.types.map((t) => t.split(':')[1] ?? t).join(' '))}`;
      let sid = base;
      for (let n = 2; sids.has(sid); n++) sid = `${base}${n}`;
      sids.add(sid);
      return { Sid: sid, Effect: 'Allow' as const, Action: g.actions, Resource: g.resources.map(cfnString) };
    });
};
