/** Types for venv.mjs (plain JS so that scripts/ensure-deps.mjs can run it before `npm ci`). */
export declare const ROOT: string;
export declare const REQUIREMENTS: string;
export declare const venvPython: (root?: string) => string;
export declare const ensureVenv: (options?: { root?: string; log?: (line: string) => void }) => string;
