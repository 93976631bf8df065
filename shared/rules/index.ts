import type { Rule } from './types.js';
import { versioningDestinationEnabled } from './versioning_destination_enabled.js';
import { versioningSourceEnabled } from './versioning_source_enabled.js';

/** The catalog: every rule, in report order. Rule ids are a public contract. */
export const rules: readonly Rule[] = [versioningSourceEnabled, versioningDestinationEnabled];

export const ruleById = (id: string): Rule | undefined => rules.find((r) => r.id === id);
