/**
 * `replguard report --format html` against the emulator: a healthy pair, a broken one and a cross-account DR
 * whose read-only role cannot be assumed, read back as an auditor's tools would (sections, each pair's hops
 * and their statuses, the HIPAA matrix, findings grouped by cause with their commands), checked to load
 * nothing from any network, to carry no object key and to escape hostile values; then rendered by headless
 * Chromium to a PNG (not blank) and an A4 PDF. `REPLGUARD_UPDATE_SCREENSHOT=1` writes docs/report.png.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { UsageError } from '../../../shared/cli/errors.js';
import { parseReportArgs, REPORT_HELP, runReport } from '../../../shared/cli/report.js';
import { rules } from '../../../shared/rules/index.js';
import { VERSION } from '../../../shared/version.js';
import { testAccount } from '../../emulator/accounts.js';
import { emulatorFactoryOptions } from '../../scenarios/builder/clients.js';
import { scenario, type ReplicationPath, type Scenario, withoutActions } from '../../scenarios/builder.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import {
  colourStats,
  decodePng,
  elements,
  findChromium,
  structureProblems,
  tagsOf,
  textOf,
  withAttrs,
} from './reportPage.js';

const endpoint = inject('emulatorEndpoint');
const SCREENSHOT = fileURLToPath(new URL('../../../docs/report.png', import.meta.url));
const HOSTILE_RULE = '<img src=x onerror=alert(1)>';
const HOSTILE_TAG = 'PHI"&<script>alert(1)</script>';
/** Object keys as PHI tends to name them: none may appear in the report, whatever their shape. */
const OBJECT_KEYS = ['patients/Jane Doe 1962-04-01 MRN-448812.pdf', 'scans/ünïcode ÿ & <x>/x-ray.dcm'];

const run = promisify(execFile);

describe('replguard report --format html', () => {
  let env: Scenario;
  let healthy: ReplicationPath;
  let broken: ReplicationPath;
  let sealed: ReplicationPath;
  let hostile: ReplicationPath;
  let dir: string;
  let file: string;
  let html: string;
  let stderr: string;

  const report = async (argv: string[]) => {
    const out = { stdout: '', stderr: '' };
    const args = parseReportArgs(argv);
    if (args === 'help') throw new Error('help');
    const code = await runReport(
      args,
      { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t) },
      emulatorFactoryOptions(endpoint, env.home),
    );
    return { code, ...out };
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/report') });
    [healthy, broken, sealed, hostile] = await Promise.all([
      env.replicatedPair({ name: 'phi-prod', ...HEALTHY }),
      env.replicatedPair({
        name: 'phi-lab',
        ...HEALTHY,
        destinationVersioning: 'Suspended',
        metrics: false,
        rolePolicy: (p) => withoutActions(p, 'kms:Decrypt'),
      }),
      env.replicatedPair({
        name: 'phi-partner',
        ...HEALTHY,
        crossAccount: env.peer('sealed'),
        readOnlyRole: false,
      }),
      env.replicatedPair({ name: 'phi-odd', ...HEALTHY, rule: (r) => ({ ...r, ID: HOSTILE_RULE }) }),
    ]);
    await env.bucket({ name: 'phi-tagged', tags: { DataClassification: HOSTILE_TAG } });
    for (const key of OBJECT_KEYS)
      await env
        .clients()
        .s3.send(new PutObjectCommand({ Bucket: broken.source.name, Key: key, Body: 'not PHI' }));
    dir = mkdtempSync(join(tmpdir(), 'replguard-report-'));
    file = join(dir, 'report.html');
    const out = await report([
      ...[healthy, broken, sealed].flatMap((p) => ['--bucket', p.source.name]),
      '-o',
      file,
    ]);
    expect(out).toMatchObject({ code: 0, stdout: '' });
    html = readFileSync(file, 'utf8');
    stderr = out.stderr;
  }, 120_000);

  const pair = (path: ReplicationPath) => {
    const [article] = withAttrs(html, { class: 'pair', 'data-source': path.source.name });
    if (!article) throw new Error(`no pair for ${path.source.name}`);
    const hops = Object.fromEntries(
      elements(
        article.html,
        (t) => t.attrs['data-hop'] !== undefined && t.attrs.class?.startsWith('hop') === true,
      ).map((e) => [e.tag.attrs['data-hop'], e.tag.attrs['data-status']]),
    );
    return { status: article.tag.attrs['data-status'], hops, html: article.html };
  };

  it('exits 0 once written, though rules fail (the report is evidence), and says where it is', () => {
    // 3 or more failing: versioning, kms:Decrypt, metrics (and the objects left behind, once S3 marks them FAILED).
    expect(stderr).toMatch(
      new RegExp(`^replguard: report written to ${file}: FAIL, 3 pairs, [3-9] failing, 9 unknown\n$`),
    );
  });

  it('is one well-formed document with its sections, generation time, account, Region and version', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(structureProblems(html)).toEqual([]);
    for (const id of ['top', 'summary', 'pairs', 'findings', 'hipaa'])
      expect(withAttrs(html, { id }), `section ${id}`).toHaveLength(1);
    const header = textOf(withAttrs(html, { id: 'top' })[0]?.html ?? '');
    expect(header).toMatch(/Generated\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(header).toContain(`Account${env.home}`);
    expect(header).toContain('Regionus-east-1');
    expect(header).toContain(`ReplGuard version${VERSION}`);
    expect(withAttrs(html, { 'data-verdict': 'FAIL' })).toHaveLength(1);
    const counts = (status: string) =>
      textOf(
        withAttrs(withAttrs(html, { id: 'status-counts' })[0]?.html ?? '', { 'data-status': status })[0]
          ?.html ?? '',
      );
    expect(counts('NON_COMPLIANT')).toMatch(/^FAIL[3-9]$/);
    expect(counts('UNKNOWN')).toBe('UNKNOWN9');
  });

  it('draws each pair as source → role → keys → destination, each hop coloured by the rules that judge it', () => {
    expect(pair(healthy)).toMatchObject({
      status: 'COMPLIANT',
      hops: {
        source: 'COMPLIANT',
        role: 'COMPLIANT',
        keys: 'COMPLIANT',
        destination: 'COMPLIANT',
        pair: 'COMPLIANT',
      },
    });
    expect(pair(broken)).toMatchObject({
      status: 'NON_COMPLIANT',
      // versioning Suspended on the destination, kms:Decrypt missing, no replication metrics (nor an alarm).
      hops: {
        source: 'COMPLIANT',
        role: 'COMPLIANT',
        keys: 'NON_COMPLIANT',
        destination: 'NON_COMPLIANT',
        pair: 'NON_COMPLIANT',
      },
    });
    expect(pair(sealed)).toMatchObject({
      status: 'UNKNOWN',
      // Everything in the DR account is unreadable, never reported as a pass.
      hops: {
        source: 'COMPLIANT',
        role: 'COMPLIANT',
        keys: 'UNKNOWN',
        destination: 'UNKNOWN',
        pair: 'UNKNOWN',
      },
    });
    const p = pair(broken);
    const order = [...p.html.matchAll(/data-hop="(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['source', 'role', 'keys', 'destination', 'pair']);
    expect(
      withAttrs(p.html, { 'data-rule': 'versioning_destination_enabled', 'data-status': 'NON_COMPLIANT' }),
    ).toHaveLength(1);
    expect(textOf(p.html)).toContain('VersioningSuspended');
    expect(textOf(pair(sealed).html)).toContain('unknown (needs sts:AssumeRole)');
  });

  it('has a HIPAA matrix: every citation × every rule citing it × its status', () => {
    const cell = (citation: string, rule: string) =>
      elements(
        html,
        (t) => t.name === 'td' && t.attrs['data-citation'] === citation && t.attrs['data-rule'] === rule,
      )[0]?.tag.attrs['data-status'];
    expect(cell('164.312(c)(1)', 'versioning_destination_enabled')).toBe('NON_COMPLIANT');
    expect(cell('164.312(a)(2)(iv)', 'kms_source_decrypt_allowed')).toBe('NON_COMPLIANT');
    expect(cell('164.312(a)(2)(iv)', 'kms_replica_key_configured')).toBe('UNKNOWN');
    expect(cell('164.312(e)(1)', 'tls_only_policy')).toBe('UNKNOWN');
    expect(cell('164.308(a)(7)(ii)(B)', 'role_trusts_s3')).toBe('COMPLIANT');
    for (const rule of rules)
      for (const citation of rule.hipaa)
        expect(cell(citation, rule.id), `${citation} × ${rule.id}`).toBeTruthy();
    expect(
      withAttrs(html, { class: 'citation', 'data-citation': '164.312(c)(1)' })[0]?.tag.attrs['data-status'],
    ).toBe('NON_COMPLIANT');
  });

  it('lists the findings by cause: the unreadable DR account once, each failure with its commands', () => {
    const findings = elements(
      html,
      (t) => t.name === 'article' && t.attrs.class?.startsWith('finding') === true,
    );
    const unreadable = findings.filter((f) => textOf(f.html).includes('ReplGuardReadOnly'));
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.tag.attrs['data-status']).toBe('UNKNOWN');
    expect(unreadable[0]?.tag.attrs['data-rules']?.split(' ')).toEqual(
      expect.arrayContaining([
        'versioning_destination_enabled',
        'destination_policy_allows_role',
        'kms_replica_key_configured',
      ]),
    );
    expect(textOf(unreadable[0]?.html ?? '')).toContain('infra/member-account.yml');
    const versioning = findings.find((f) => f.tag.attrs['data-rules'] === 'versioning_destination_enabled');
    expect(versioning?.tag.attrs['data-status']).toBe('NON_COMPLIANT');
    expect(textOf(elements(versioning?.html ?? '', (t) => t.name === 'pre')[0]?.html ?? '')).toBe(
      `aws s3api put-bucket-versioning --region us-west-2 --bucket ${broken.destination.name} --versioning-configuration '{"Status":"Enabled"}'`,
    );
    const decrypt = findings.find((f) => f.tag.attrs['data-rules'] === 'kms_source_decrypt_allowed');
    expect(textOf(decrypt?.html ?? '')).toMatch(
      /aws iam put-role-policy --role-name phi-lab-replication .*kms:Decrypt/,
    );
    // Failures first, and the commands of the plan each printed once.
    expect(findings.map((f) => f.tag.attrs['data-status'])).toEqual([
      ...findings.filter((f) => f.tag.attrs['data-status'] === 'NON_COMPLIANT').map(() => 'NON_COMPLIANT'),
      'UNKNOWN',
    ]);
    const commands = elements(html, (t) => t.name === 'pre').map((e) => textOf(e.html));
    expect(new Set(commands).size).toBe(commands.length);
  });

  it('loads nothing from any network: no script, image, link, frame, import or url()', () => {
    const tags = tagsOf(html);
    expect(
      tags.filter((t) =>
        ['script', 'img', 'link', 'iframe', 'object', 'embed', 'svg', 'image'].includes(t.name),
      ),
    ).toEqual([]);
    expect(tags.filter((t) => 'src' in t.attrs || 'srcset' in t.attrs || 'xlink:href' in t.attrs)).toEqual(
      [],
    );
    expect(tags.filter((t) => 'href' in t.attrs && !t.attrs.href?.startsWith('#'))).toEqual([]);
    expect(tags.flatMap((t) => Object.keys(t.attrs).filter((a) => a.startsWith('on')))).toEqual([]);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(withAttrs(html, { 'http-equiv': 'Content-Security-Policy' })[0]?.tag.attrs.content).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
  });

  it('carries no object key: the objects of the scanned buckets never appear', () => {
    for (const key of OBJECT_KEYS) {
      expect(html).not.toContain(key);
      expect(textOf(html)).not.toContain(key);
    }
  });

  it('escapes hostile values: a replication rule id and a scope tag value stay text', async () => {
    const out = await report([
      '--bucket',
      hostile.source.name,
      '--bucket',
      env.uniqueName('phi-tagged'),
      '--scope-tag',
      `DataClassification=${HOSTILE_TAG}`,
    ]);
    expect(out.code).toBe(0);
    const page = out.stdout;
    expect(structureProblems(page)).toEqual([]);
    expect(page).not.toContain(HOSTILE_RULE);
    expect(page).not.toContain('<script');
    expect(tagsOf(page).filter((t) => t.name === 'img' || t.name === 'script')).toEqual([]);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('PHI&quot;&amp;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(withAttrs(page, { class: 'pair', 'data-rule': HOSTILE_RULE })).toHaveLength(1);
    expect(textOf(page)).toContain(`tagged DataClassification=${HOSTILE_TAG}`);
  });

  it('still writes the report when a named bucket does not exist, lists it, and exits 2', async () => {
    const missing = join(dir, 'missing.html');
    const out = await report(['--bucket', 'no-such-bucket-report', '--output-file', missing]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('replguard: no-such-bucket-report:');
    expect(withAttrs(readFileSync(missing, 'utf8'), { 'data-bucket': 'no-such-bucket-report' })).toHaveLength(
      1,
    );
  });

  it('refuses an output file in a directory that does not exist before scanning (a usage error)', async () => {
    const path = join(dir, 'no-such-dir', 'r.html');
    await expect(report(['--bucket', healthy.source.name, '-o', path])).rejects.toThrow(
      new UsageError(`--output-file ${path}: directory ${join(dir, 'no-such-dir')} does not exist`),
    );
  });

  it.each([
    [[], 'report needs --bucket NAME or --all'],
    [['--all', '--format', 'pdf'], '--format must be one of html, got "pdf"'],
    [['--all', '--output', 'json'], '--output must be one of html, got "json"'],
    [['--org'], '--org is not yet available: run replguard report --all with credentials of each account'],
    [['--bucket', ''], '--bucket must be an S3 bucket name'],
    [['--bucket', 'phi-prod', '--all'], 'give --bucket NAME or --all, not both'],
    [['--all', '-o', ''], '--output-file needs a path'],
    [['--all', '--scope-tag', 'nope'], '--scope-tag must be KEY=VALUE'],
    [
      ['--all', '--cross-account-role', 'arn:aws:iam::1:role/x'],
      '--cross-account-role must be an IAM role name',
    ],
    [['--all', '--bogus'], 'unknown option --bogus (replguard report --help)'],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseReportArgs(argv)).toThrow(UsageError);
    expect(() => parseReportArgs(argv)).toThrow(message);
  });

  it('answers --help, naming every option and --org as not yet available', () => {
    expect(parseReportArgs(['--help'])).toBe('help');
    for (const option of [
      '--bucket',
      '--all',
      '--format',
      '-o, --output-file',
      '--region',
      '--endpoint-url',
      '--cross-account-role',
      '--scope-tag',
      '--profile',
    ])
      expect(REPORT_HELP).toContain(option);
    expect(REPORT_HELP).toMatch(/--org .*not yet available/);
  });

  const chromium = findChromium();
  const why = chromium
    ? ''
    : ' (skipped: no chromium, chromium-browser or google-chrome on PATH; on Debian: apt-get install chromium)';
  if (!chromium) console.warn(`replguard report: the Chromium rendering tests are${why}`);

  /** Runs headless Chromium on the report, offline (every host name resolves to nothing). */
  const chrome = async (...args: string[]) =>
    run(
      chromium as string,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--hide-scrollbars',
        '--host-resolver-rules=MAP * ~NOTFOUND',
        `--user-data-dir=${join(dir, 'chromium-profile')}`,
        ...args,
        pathToFileURL(file).href,
      ],
      { timeout: 90_000 },
    );

  it.skipIf(!chromium)(
    `renders in headless Chromium to a PNG that is not blank${why}`,
    async () => {
      const png = join(dir, 'report.png');
      await chrome('--window-size=1200,1600', `--screenshot=${png}`);
      const image = decodePng(readFileSync(png));
      expect([image.width, image.height]).toEqual([1200, 1600]);
      const stats = colourStats(image);
      // Text, badges and green, red and amber hops: many colours, and far from one flat page.
      expect(stats.distinct).toBeGreaterThan(50);
      expect(stats.dominantShare).toBeLessThan(0.95);
      if (process.env.REPLGUARD_UPDATE_SCREENSHOT === '1') copyFileSync(png, SCREENSHOT);
    },
    120_000,
  );

  it.skipIf(!chromium)(
    `prints to an A4 PDF of at least one page${why}`,
    async () => {
      const pdf = join(dir, 'report.pdf');
      await chrome('--no-pdf-header-footer', `--print-to-pdf=${pdf}`);
      const text = readFileSync(pdf).toString('latin1');
      expect(text.startsWith('%PDF-')).toBe(true);
      expect((text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length).toBeGreaterThanOrEqual(1);
      const [, w, h] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text) ?? [];
      // A4 is 595 × 842 points.
      expect([Math.round(Number(w)), Math.round(Number(h))]).toEqual([595, 842]);
    },
    120_000,
  );
});
