/**
 * Third-party licence notices (infra/third-party-licenses.cjs): every bundle ships THIRD_PARTY_LICENSES
 * naming each package whose code it carries, with the package's licence and licence text. Checked on a
 * made-up node_modules, then on the function zips `osls package` writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../../bench/bundle/zip.js';
import { generatedTemplate, SERVERLESS_DIR } from './cfn.js';

interface BundledPackage {
  name: string;
  version: string;
  licence: string;
  text: string;
  modified?: string;
}
const require = createRequire(import.meta.url);
const notices = require('../../../infra/third-party-licenses.cjs') as {
  NOTICES_FILE: string;
  bundledPackages: (metafile: Metafile, workingDir: string) => BundledPackage[];
  renderNotices: (title: string, packages: BundledPackage[]) => string;
};
const { functionNoticePaths } = require('../../../infra/esbuild-plugins.cjs') as {
  functionNoticePaths: (
    serverless: unknown,
  ) => (options: { entryPoints: string[]; outdir: string }) => string[];
};

const MIT = (holder: string) =>
  `MIT License\n\nCopyright (c) ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy...`;

/** A node_modules folder with one package per case, and the metafile of a bundle that used them. */
const fixture = (root: string) => {
  const pkg = (name: string, manifest: object, files: Record<string, string>) => {
    const dir = join(root, 'node_modules', name);
    for (const [file, text] of Object.entries({
      'package.json': JSON.stringify({ name, version: '1.0.0', ...manifest }),
      'index.js': 'export const x = 1;\n',
      ...files,
    })) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  };
  pkg('alpha', { license: 'MIT' }, { LICENSE: MIT('Alpha Authors') });
  pkg('delta', { license: 'MIT' }, { 'LICENSE.md': MIT('Alpha Authors') });
  pkg('@scope/beta', { license: 'Apache-2.0' }, { LICENSE: 'Apache License 2.0 ...', NOTICE: 'Beta NOTICE' });
  pkg(
    'gamma',
    { license: 'MIT' },
    { 'README.md': '# gamma\n\n## License\n\nCopyright (c) Gamma Authors\n\n## More\n' },
  );
  pkg(
    'patched',
    { license: 'MIT' },
    { LICENSE: MIT('Patched'), 'index.js': '/* replguard-patch: a-fix */\n' },
  );
  pkg('shaken', { license: 'MIT' }, { LICENSE: MIT('Shaken') });
  const inputs = (names: string[], extra: Record<string, { bytesInOutput: number }> = {}) => ({
    ...Object.fromEntries(names.map((n) => [`node_modules/${n}/index.js`, { bytesInOutput: 10 }])),
    'node_modules/shaken/index.js': { bytesInOutput: 0 },
    'shared/own.ts': { bytesInOutput: 10 },
    ...extra,
  });
  return (names: string[], extra?: Record<string, { bytesInOutput: number }>) =>
    ({ inputs: {}, outputs: { 'out.mjs': { inputs: inputs(names, extra) } } }) as unknown as Metafile;
};

describe('THIRD_PARTY_LICENSES of a bundle', () => {
  let root: string;
  let metafile: ReturnType<typeof fixture>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'replguard-notices-'));
    metafile = fixture(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists each package that put code into the bundle, not the ones tree-shaken away', () => {
    const packages = notices.bundledPackages(
      metafile(['alpha', 'delta', '@scope/beta', 'gamma', 'patched']),
      root,
    );
    expect(packages.map((p) => `${p.name} ${p.version} ${p.licence}`)).toEqual([
      '@scope/beta 1.0.0 Apache-2.0',
      'alpha 1.0.0 MIT',
      'delta 1.0.0 MIT',
      'gamma 1.0.0 MIT',
      'patched 1.0.0 MIT',
    ]);
  });

  it("takes the text from the package's LICENSE and NOTICE files", () => {
    const [beta] = notices.bundledPackages(metafile(['@scope/beta']), root);
    expect(beta?.text).toContain('Apache License 2.0 ...');
    expect(beta?.text).toContain('Beta NOTICE');
  });

  it("without a licence file, gives the README's licence section and the standard text of the declared licence", () => {
    const [gamma] = notices.bundledPackages(metafile(['gamma']), root);
    expect(gamma?.text).toContain('Copyright (c) Gamma Authors');
    expect(gamma?.text).not.toContain('## More');
    expect(gamma?.text).toContain('The above copyright notice and this permission notice shall be included');
  });

  it('fails, naming the package, when it has neither a licence file nor a declared licence', () => {
    mkdirSync(join(root, 'node_modules', 'anonymous'), { recursive: true });
    writeFileSync(
      join(root, 'node_modules', 'anonymous', 'package.json'),
      '{"name":"anonymous","version":"2.0.0"}',
    );
    expect(() =>
      notices.bundledPackages(
        metafile([], { 'node_modules/anonymous/index.js': { bytesInOutput: 3 } }),
        root,
      ),
    ).toThrow(/anonymous@2\.0\.0 .*ships no licence file and declares no licence/);
  });

  it('prints one line per package and each distinct text once, and notes a patched package', () => {
    const text = notices.renderNotices(
      'ReplGuard 9.9.9, test bundle',
      notices.bundledPackages(metafile(['alpha', 'delta', 'patched']), root),
    );
    expect(text).toMatch(/^THIRD-PARTY SOFTWARE NOTICES\nReplGuard 9\.9\.9, test bundle\n/);
    expect(text).toContain('alpha 1.0.0\n    licence: MIT; text 1\n');
    expect(text).toContain('delta 1.0.0\n    licence: MIT; text 1\n');
    expect(text).toContain('Text 1, for alpha 1.0.0, delta 1.0.0\n');
    expect(text.split('Copyright (c) Alpha Authors')).toHaveLength(2);
    expect(text).toMatch(
      /patched 1\.0\.0\n {4}licence: MIT; text 2\n {4}modified: .*\(a-fix; scripts\/patch-patched\.mjs/,
    );
  });
});

describe('where a function bundle puts its notices', () => {
  it("at the root of the zip of each function whose handler the bundle holds (serverless-esbuild's __only_<function>/)", () => {
    const serverless = {
      service: {
        functions: {
          a: { handler: 'functions/a.handler' },
          b: { handler: 'functions/a.other' },
          c: { handler: 'functions/c.handler' },
        },
      },
    };
    const build = '/srv/.esbuild/.build';
    expect(
      functionNoticePaths(serverless)({ entryPoints: ['functions/a.ts'], outdir: `${build}/functions` }),
    ).toEqual([`${build}/__only_a/THIRD_PARTY_LICENSES`, `${build}/__only_b/THIRD_PARTY_LICENSES`]);
    expect(
      functionNoticePaths({})({ entryPoints: ['functions/a.ts'], outdir: `${build}/functions` }),
    ).toEqual([]);
  });
});

/** `@scope/name` or `name` of a path under node_modules (a source map's `sources` entry). */
const packageName = (source: string): string | undefined => {
  if (!source.includes('node_modules/')) return undefined;
  const parts = source.split('node_modules/').pop()!.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

describe('the function zips (osls package)', () => {
  let zips: { name: string; files: Map<string, () => Buffer> }[];

  beforeAll(() => {
    generatedTemplate(); // packages .serverless/ when it is missing or older than its inputs
    zips = readdirSync(SERVERLESS_DIR)
      .filter((f) => f.endsWith('.zip'))
      .map((f) => ({
        name: f,
        files: new Map(readZip(readFileSync(join(SERVERLESS_DIR, f))).map((e) => [e.name, e.read])),
      }));
  }, 300_000);

  it('each carries THIRD_PARTY_LICENSES with the AWS SDK, Middy and their licence texts', () => {
    expect(zips.length).toBeGreaterThanOrEqual(5);
    for (const zip of zips) {
      const text = zip.files.get(notices.NOTICES_FILE)?.().toString('utf8');
      expect(text, zip.name).toBeDefined();
      expect(text).toMatch(/^@aws-sdk\/client-s3 \d+\.\d+\.\d+\n {4}licence: Apache-2\.0; text \d+$/m);
      expect(text).toMatch(/^@middy\/core \d+\.\d+\.\d+\n {4}licence: MIT; text \d+$/m);
      expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
      expect(text).toContain('Permission is hereby granted, free of charge');
    }
  });

  it("lists exactly the packages whose code is in the bundle (its source map's node_modules sources)", () => {
    for (const zip of zips) {
      const map = [...zip.files.keys()].find((f) => f.endsWith('.mjs.map'))!;
      const sources = (JSON.parse(zip.files.get(map)!().toString('utf8')) as { sources: string[] }).sources;
      const inBundle = new Set(sources.map(packageName).filter((n) => n !== undefined));
      const text = zip.files.get(notices.NOTICES_FILE)!().toString('utf8');
      const listed = new Set([...text.matchAll(/^(\S+) \S+\n {4}licence: /gm)].map((m) => m[1]));
      expect([...listed].sort(), zip.name).toEqual([...inBundle].sort());
    }
  });
});
