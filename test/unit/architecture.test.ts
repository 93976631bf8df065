/**
 * The shape the code keeps (docs/architecture.md): thin handlers, no AWS SDK where only decisions are
 * made, dependencies that run one way.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });

const source = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** Module specifiers a file imports or re-exports. */
const importsOf = (file: string): string[] =>
  [...source(file).matchAll(/(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/g)].map((m) => m[1] as string);

/** Whether `file` imports a module under `folder` (a shared/ folder). */
const importsFrom = (file: string, folder: string): string[] =>
  importsOf(file).filter(
    (spec) => spec.startsWith('.') && relative(ROOT, join(ROOT, file, '..', spec)).startsWith(`${folder}/`),
  );

describe('the architecture', () => {
  it.each(files('shared/handlers'))('handler %s stays within 40 lines', (file) => {
    expect(source(file).trimEnd().split('\n').length).toBeLessThanOrEqual(40);
  });

  it.each(['shared/handlers', 'shared/engine', 'shared/rules', 'shared/triggers', 'shared/scope'])(
    'nothing in %s imports the AWS SDK (reads live in shared/collect, writes in shared/publish)',
    (folder) => {
      const offenders = files(folder).filter((f) =>
        importsOf(f).some((spec) => spec.startsWith('@aws-sdk/')),
      );
      expect(offenders).toEqual([]);
    },
  );

  it('the fix planner is pure: only shared/fix/perform.ts (replguard fix --apply) calls AWS', () => {
    const offenders = files('shared/fix').filter(
      (f) => !f.endsWith('perform.ts') && importsOf(f).some((spec) => spec.startsWith('@aws-sdk/')),
    );
    expect(offenders).toEqual([]);
  });

  it('the canary decides in pure code: only shared/canary/s3.ts (its object reads and writes) calls AWS', () => {
    const offenders = files('shared/canary').filter(
      (f) => !f.endsWith('s3.ts') && importsOf(f).some((spec) => spec.startsWith('@aws-sdk/')),
    );
    expect(offenders).toEqual([]);
  });

  it('rules only say what must change (shared/model/fix.ts): they import nothing from the planner', () => {
    expect(files('shared/rules').flatMap((f) => importsFrom(f, 'shared/fix'))).toEqual([]);
  });

  it('shared/policy imports nothing from shared/rules', () => {
    expect(files('shared/policy').flatMap((f) => importsFrom(f, 'shared/rules'))).toEqual([]);
  });

  it.each(['shared/model', 'shared/scope', 'shared/collect'])(
    '%s imports nothing from the rules, the engine, the triggers, publishing or the handlers',
    (folder) => {
      const later = ['shared/rules', 'shared/engine', 'shared/triggers', 'shared/publish', 'shared/handlers'];
      expect(files(folder).flatMap((f) => later.flatMap((l) => importsFrom(f, l)))).toEqual([]);
    },
  );

  it('every function entry point wires one handler through the shared middleware', () => {
    for (const file of files('functions')) {
      const text = source(file);
      expect(text).toMatch(/defaultRuntime\(/);
      expect(text).toMatch(/validateEvent\(/);
      expect(text.split('\n').length).toBeLessThanOrEqual(30);
    }
  });
});
