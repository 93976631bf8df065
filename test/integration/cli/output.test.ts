/**
 * What `replguard scan` prints, against the emulator: the table (grouped by cause, names never cut), SARIF,
 * OCSF, --quiet, --fail-on, --all, --output-file, colour, and --profile (its credentials and its Region).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClientFactoryOptions } from '../../../shared/aws/clientFactory.js';
import { SCAN_HELP } from '../../../shared/cli/args.js';
import { MAIN_HELP, run } from '../../../shared/cli/main.js';
import { testAccount, withAccount } from '../../emulator/accounts.js';
import { conforms } from '../../fixtures/contracts/index.js';
import { emulatorFactoryOptions } from '../../scenarios/builder/clients.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');
const BIN = fileURLToPath(new URL('../../../bin/replguard.js', import.meta.url));

interface JsonResult {
  readonly ruleId: string;
  readonly status: string;
  readonly severity: string;
  readonly bucket: string;
}

describe('replguard scan output (against the emulator)', () => {
  let env: Scenario;
  let suspended: ReplicationPath;
  let unreadable: ReplicationPath;
  let plain: ReplicationPath;
  let dir: string;

  /** Runs the CLI in-process as the scenario's home account; `tty` says whether stdout is a terminal. */
  const replguard = async (
    argv: string[],
    options: { tty?: boolean; factory?: ClientFactoryOptions } = {},
  ) => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      argv,
      {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        stderrIsTty: false,
        stdoutIsTty: options.tty ?? false,
      },
      options.factory ?? emulatorFactoryOptions(endpoint, env.home),
    );
    return { code, stdout, stderr };
  };
  const json = (stdout: string) => (JSON.parse(stdout) as { results: JsonResult[] }).results;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/output') });
    [suspended, unreadable, plain] = await Promise.all([
      env.replicatedPair({ name: 'out-suspended', destinationVersioning: 'Suspended' }),
      env.replicatedPair({
        name: 'out-dr-account-without-replguard-read-only-role',
        crossAccount: true,
        readOnlyRole: false,
      }),
      env.replicatedPair({ name: 'out-plain' }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'replguard-output-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('table', () => {
    it('prints every result with whole bucket names, then each cause once with its fix and the rules it affects', async () => {
      const { code, stdout } = await replguard([
        'scan',
        '--bucket',
        suspended.source.name,
        '--bucket',
        unreadable.source.name,
      ]);
      expect(code).toBe(1);
      expect(unreadable.source.name.length).toBeGreaterThan(40);
      const header = stdout.split('\n')[0] ?? '';
      const row = stdout.split('\n').find((l) => l.includes(unreadable.destination.name)) ?? '';
      expect(row.indexOf(unreadable.source.name)).toBe(header.indexOf('BUCKET'));
      expect(row.indexOf(unreadable.destination.name)).toBe(header.indexOf('DESTINATION'));

      const cause = new RegExp(
        `^\\[UNKNOWN\\] Could not read: Could not assume arn:aws:iam::${unreadable.destination.account}:role/ReplGuardReadOnly \\(AccessDenied\\w*\\)$`,
        'm',
      );
      expect(stdout.match(new RegExp(cause.source, 'gm'))).toHaveLength(1);
      const fixes = stdout.split('\n').filter((l) => l.startsWith('  fix: Deploy arn:aws:iam::'));
      expect(fixes).toHaveLength(1);
      const affects = /^ {2}affects (\d+) rules \(out-dr-account-\S+ → out-dr-account-\S+\):$/m.exec(stdout);
      expect(Number(affects?.[1])).toBeGreaterThanOrEqual(5);
      expect(stdout).toMatch(
        /^\[NON_COMPLIANT CRITICAL\] versioning_destination_enabled \(out-suspended-\S+ → out-suspended-dr-\S+, rule /m,
      );
      expect(stdout).toMatch(
        /\nSummary: \d+ COMPLIANT, \d+ NON_COMPLIANT, \d+ UNKNOWN, \d+ NOT_APPLICABLE \(\d+ causes\)\n$/,
      );
    });

    it('with --quiet lists only the failing and unknown rows', async () => {
      const { code, stdout } = await replguard(['scan', '--bucket', suspended.source.name, '--quiet']);
      expect(code).toBe(1);
      const rows = stdout.split('\n').slice(1, stdout.split('\n').indexOf(''));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatch(/^(FAIL|\?\?) /);
    });

    it('is coloured on a terminal, and not with NO_COLOR or --no-color', async () => {
      const argv = ['scan', '--bucket', suspended.source.name];
      expect((await replguard(argv, { tty: true })).stdout).toContain('\x1b[31mFAIL');
      expect((await replguard([...argv, '--no-color'], { tty: true })).stdout).not.toContain('\x1b[');
      process.env.NO_COLOR = '1';
      try {
        expect((await replguard(argv, { tty: true })).stdout).not.toContain('\x1b[');
      } finally {
        delete process.env.NO_COLOR;
      }
      expect((await replguard(argv)).stdout).not.toContain('\x1b[');
    });
  });

  describe('formats', () => {
    it('--format sarif conforms to SARIF 2.1.0 and carries the failing results with fingerprints', async () => {
      const { code, stdout } = await replguard([
        'scan',
        '--bucket',
        suspended.source.name,
        '--format',
        'sarif',
      ]);
      expect(code).toBe(1);
      const log = JSON.parse(stdout) as {
        runs: { results: Record<string, unknown>[]; automationDetails: unknown }[];
      };
      expect(conforms('sarif-2.1.0', log)).toEqual([]);
      const results = log.runs[0]?.results ?? [];
      expect(results.map((r) => r.ruleId)).toContain('versioning_destination_enabled');
      for (const r of results)
        expect(r.partialFingerprints).toMatchObject({
          primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/),
        });
      expect(log.runs[0]?.automationDetails).toEqual({ id: `replguard/${env.home}/` });
    });

    it('--output ocsf gives one OCSF Compliance Finding per result, each valid', async () => {
      const ocsf = await replguard(['scan', '--bucket', suspended.source.name, '--output', 'ocsf']);
      const asJson = await replguard(['scan', '--bucket', suspended.source.name, '--output', 'json']);
      expect(ocsf.code).toBe(1);
      const findings = JSON.parse(ocsf.stdout) as Record<string, unknown>[];
      expect(findings).toHaveLength(json(asJson.stdout).length);
      for (const f of findings) expect(conforms('ocsf-1.5.0-compliance-finding', f)).toEqual([]);
      expect(
        findings.find(
          (f) => (f.compliance as { control: string }).control === 'versioning_destination_enabled',
        ),
      ).toMatchObject({
        class_uid: 2003,
        compliance: { status: 'Fail', standards: ['HIPAA'] },
        cloud: { provider: 'AWS', account: { uid: env.home } },
      });
    });

    it('--format json --quiet keeps the contract and only the NON_COMPLIANT and UNKNOWN results', async () => {
      const { stdout } = await replguard([
        'scan',
        '--bucket',
        suspended.source.name,
        '--format',
        'json',
        '--quiet',
      ]);
      const report = JSON.parse(stdout) as { version: number; results: JsonResult[] };
      expect(report.version).toBe(1);
      expect(report.results.length).toBeGreaterThan(0);
      expect(new Set(report.results.map((r) => r.status))).toEqual(new Set(['NON_COMPLIANT']));
    });
  });

  describe('exit status and scope', () => {
    it('--fail-on sets the severity that fails the run', async () => {
      const { stdout } = await replguard(['scan', '--bucket', plain.source.name, '--format', 'json']);
      const failing = json(stdout).filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN');
      expect(failing.length).toBeGreaterThan(0);
      expect(failing.map((r) => r.severity)).not.toContain('CRITICAL');
      expect((await replguard(['scan', '--bucket', plain.source.name, '--fail-on', 'CRITICAL'])).code).toBe(
        0,
      );
      expect((await replguard(['scan', '--bucket', plain.source.name, '--fail-on', 'high'])).code).toBe(1);
      expect(
        (await replguard(['scan', '--bucket', suspended.source.name, '--fail-on', 'CRITICAL'])).code,
      ).toBe(1);
    });

    it('--all scans every replicated bucket of the account', async () => {
      const { code, stdout } = await replguard(['scan', '--all', '--format', 'json']);
      expect(code).toBe(1);
      const buckets = new Set(json(stdout).map((r) => r.bucket));
      for (const path of [suspended, unreadable, plain]) expect(buckets).toContain(path.source.name);
    });

    it('-o writes the output to a file and nothing to stdout', async () => {
      const file = join(dir, 'findings.json');
      const { code, stdout } = await replguard([
        'scan',
        '--bucket',
        suspended.source.name,
        '--format',
        'json',
        '-o',
        file,
      ]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version).toBe(1);
    });
  });

  describe('--profile', () => {
    const saved: Record<string, string | undefined> = {};
    const VARS = [
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ];

    beforeAll(() => {
      for (const v of VARS) saved[v] = process.env[v];
      writeFileSync(
        join(dir, 'config'),
        '[default]\nregion = us-west-2\n\n[profile phi-eu]\nregion = eu-west-1\n',
      );
      writeFileSync(
        join(dir, 'credentials'),
        '[phi-eu]\naws_access_key_id = AKIAPROFILEPHIEU0001\naws_secret_access_key = testing\n',
      );
      for (const v of VARS) delete process.env[v];
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    });

    afterAll(() => {
      for (const v of VARS) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
    });

    it("signs every call with the profile's keys, in the profile's Region (eu-west-1)", async () => {
      const signed: string[] = [];
      const factory: ClientFactoryOptions = {
        endpointUrl: endpoint,
        decorate: (client, context) => {
          if (context.accountId === undefined) withAccount(client, env.home);
          client.middlewareStack.add(
            (next) => async (args) => {
              const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
              signed.push(
                `${context.service} ${/Credential=([^,]+)/.exec(headers.authorization ?? '')?.[1] ?? ''}`,
              );
              return next(args);
            },
            { step: 'deserialize', name: 'recordSignature' },
          );
        },
      };
      const { code, stdout, stderr } = await replguard(
        ['scan', '--bucket', suspended.source.name, '--profile', 'phi-eu', '--format', 'json'],
        { factory },
      );
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(json(stdout).map((r) => r.ruleId)).toContain('versioning_destination_enabled');
      expect(signed).toContainEqual(
        expect.stringMatching(/^STS AKIAPROFILEPHIEU0001\/\d{8}\/eu-west-1\/sts\/aws4_request$/),
      );
      for (const s of signed) expect(s).toMatch(/ AKIAPROFILEPHIEU0001\//);
    });

    it('the installed command resolves the profile the same way (a separate process)', async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'scan', '--help'], {
        env: { ...process.env },
      });
      expect(stdout).toContain('--profile NAME');
    });
  });

  describe('the command as a process', () => {
    const exec = async (argv: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv]);
        return { code: 0, stdout, stderr };
      } catch (error) {
        return error as { code: number; stdout: string; stderr: string };
      }
    };

    it('replguard help scan prints the scan help', async () => {
      expect(await exec(['help', 'scan'])).toEqual({ code: 0, stdout: `${SCAN_HELP}\n`, stderr: '' });
    });

    it('without a command prints the usage on stderr and exits 2', async () => {
      expect(await exec([])).toMatchObject({ code: 2, stdout: '', stderr: `${MAIN_HELP}\n` });
    });
  });
});
