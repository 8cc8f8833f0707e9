import { createTokenVerifier, DEV_AUDIENCE, DEV_ISSUER, Role } from '@sodertorn/auth';
import { testIssuer, testVerifierOptions } from '@sodertorn/testing';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuthEnv } from './auth-config';
import { createLogger } from './logger';
import { reloadRevokedClients } from './revoked-clients';

// The trust file on disk, the real verifier and real signed tokens: a client revoked in the
// file is refused by the running verifier once the file changes, without a restart.
const dir = mkdtempSync(join(tmpdir(), 'revoked-clients-'));
const file = join(dir, 'trusted-issuers.json');
const closers: (() => void)[] = [];
let jwksFile: string;

/** Writes the trust file as a rotation would (beside, then renamed over), with `revokedClients` and `extra` issuer fields. */
function writeTrust(revokedClients: string[], extra: Record<string, unknown> = {}): void {
  const trust = { issuers: [{ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksFile, vouchesFor: { region: true }, revokedClients, ...extra }] };
  writeFileSync(`${file}.tmp`, JSON.stringify(trust));
  renameSync(`${file}.tmp`, file);
}

function start() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const logger = createLogger('revoked-clients-test', 'info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const auth = parseAuthEnv('gateway', { AUTH_TRUSTED_ISSUERS_FILE: file });
  const verifier = createTokenVerifier(auth);
  const watch = reloadRevokedClients(auth, verifier, logger);
  closers.push(() => watch.close());
  return { verifier, lines };
}

const analystToken = async (clientId: string) => (await testIssuer()).mint({ sub: clientId, clientId, roles: [Role.ANALYST] });
const verdict = (verifier: ReturnType<typeof createTokenVerifier>, token: string) =>
  verifier.verifyAuthorization(`Bearer ${token}`).then(
    (identity) => `accepted ${identity.sub}`,
    (error: Error) => error.message,
  );

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  jwksFile = (await testVerifierOptions()).issuers[0]!.jwksFile!;
});
afterEach(() => closers.splice(0).forEach((close) => close()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('revoked clients of the trusted issuers file, without a restart', () => {
  it('refuses a client revoked in the file once the file changes, and still accepts the others', async () => {
    writeTrust([]);
    const { verifier, lines } = start();
    const powerBi = await analystToken('bi-powerbi');
    const excel = await analystToken('bi-excel');
    expect(await verdict(verifier, powerBi)).toBe('accepted bi-powerbi');

    writeTrust(['bi-powerbi']);
    await waitFor(async () => (await verdict(verifier, powerBi)) !== 'accepted bi-powerbi');
    expect(await verdict(verifier, powerBi)).toMatch(/the client bi-powerbi has been revoked/);
    expect(await verdict(verifier, excel)).toBe('accepted bi-excel');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'trusted issuers file changed; revoked clients taken over', revokedClients: 1 }));

    // Taken back out of the list: accepted again.
    writeTrust([]);
    await waitFor(async () => (await verdict(verifier, powerBi)) === 'accepted bi-powerbi');
  });

  it('keeps the list in use when the new file is broken, and says why', async () => {
    writeTrust(['bi-powerbi']);
    const { verifier, lines } = start();
    const powerBi = await analystToken('bi-powerbi');
    writeFileSync(`${file}.tmp`, '{ "issuers": [');
    renameSync(`${file}.tmp`, file);
    await waitFor(async () => lines.some((line) => line.msg === 'trusted issuers reload failed; the revoked clients in use are kept'));
    expect(lines.find((line) => line.level === 50)?.reason).toMatch(/cannot be read as JSON/);
    expect(await verdict(verifier, powerBi)).toMatch(/has been revoked/);
  });

  it('takes over only the revoked clients: another change to an issuer waits for a restart, and the log says so', async () => {
    writeTrust([]);
    const { verifier, lines } = start();
    const powerBi = await analystToken('bi-powerbi');
    // Another audience would refuse every token of the test issuer, were it applied.
    writeTrust(['bi-powerbi'], { audience: 'another-federation' });
    await waitFor(async () => lines.some((line) => line.msg.startsWith('trusted issuers changed beyond revoked clients')));
    expect(lines).toContainEqual(expect.objectContaining({ issuers: [DEV_ISSUER] }));
    expect(await verdict(verifier, powerBi)).toMatch(/has been revoked/);
    expect(await verdict(verifier, await analystToken('bi-excel'))).toBe('accepted bi-excel');
  });
});
