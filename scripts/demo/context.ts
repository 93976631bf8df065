/**
 * What a demo section gets and gives back. A section is one function: later work appends its own (the
 * findings pipeline, the Lambda storm replay) to `runDemo({ sections: [...defaultSections(), mine] })`.
 */
import type { Severity } from '../../shared/rules/types.js';

export interface DemoContext {
  /** The emulator every section builds in and scans. */
  readonly endpoint: string;
  /** Prints one line (or an empty one) to the demo's output. */
  readonly out: (line?: string) => void;
  /** Progress for a terminal (stderr), erased by the next call; a no-op when stderr is not a terminal. */
  readonly progress: (text: string) => void;
  /** ANSI styling, identity functions when colour is off. */
  readonly style: Style;
  /** A stable account id for `label` (each section or scenario builds in its own account). */
  readonly accountFor: (label: string) => string;
  /** Scenario names to limit the catalog to (empty: all). */
  readonly only: readonly string[];
}

export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
}

/** What a section reports for the demo's closing summary line. */
export interface SectionOutcome {
  /** One phrase, e.g. "38 scenarios (38 as expected)". */
  readonly summary?: string;
  /** NON_COMPLIANT results by severity. */
  readonly findings?: Partial<Record<Severity, number>>;
  /** UNKNOWN results. */
  readonly unknown?: number;
  /** Failures of the demo itself (not findings): any makes the demo exit non-zero. */
  readonly errors?: number;
}

export interface DemoSection {
  /** Printed as the section's banner. */
  readonly title: string;
  readonly run: (context: DemoContext) => Promise<SectionOutcome>;
}
