import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuthEnv } from './auth-config';
import { ConfigError } from './config';

describe('parseAuthEnv: a service refuses to start without a way to verify tokens', () => {
  const complete = {
    AUTH_ISSUER: 'https://login.example.se/realms/sodertorn',
    AUTH_AUDIENCE: 'sodertorn-federation',
    AUTH_JWKS_URL: 'https://login.example.se/jwks',
  };

  it('returns one issuer that vouches for everyone from AUTH_ISSUER and AUTH_AUDIENCE', () => {
    expect(parseAuthEnv('gateway', complete)).toEqual({
      issuers: [
        {
          issuer: complete.AUTH_ISSUER,
          audience: complete.AUTH_AUDIENCE,
          jwksUrl: complete.AUTH_JWKS_URL,
          jwksFile: undefined,
          vouchesFor: { region: true, municipalStaff: true },
        },
      ],
      clockToleranceSeconds: 30,
    });
  });

  it('names the issuer and audience when they are missing, and the file that lists several', () => {
    expect(() => parseAuthEnv('gateway', { AUTH_JWKS_URL: complete.AUTH_JWKS_URL })).toThrow(ConfigError);
    expect(() => parseAuthEnv('gateway', { AUTH_JWKS_URL: complete.AUTH_JWKS_URL })).toThrow(
      /AUTH_ISSUER is required[\s\S]*AUTH_TRUSTED_ISSUERS_FILE[\s\S]*AUTH_AUDIENCE is required/,
    );
  });

  it('finds the keys by OIDC discovery when neither a JWKS URL nor a file is given', () => {
    const { AUTH_JWKS_URL: _url, ...withoutKeys } = complete;
    expect(parseAuthEnv('municipality subgraph', withoutKeys).issuers[0]).toMatchObject({ jwksUrl: undefined, jwksFile: undefined });
  });

  it('accepts a JWKS file instead of a URL', () => {
    const { AUTH_JWKS_URL: _url, ...rest } = complete;
    expect(parseAuthEnv('gateway', { ...rest, AUTH_JWKS_FILE: '/etc/sodertorn/jwks.json' }).issuers[0]!.jwksFile).toBe('/etc/sodertorn/jwks.json');
  });

  it('rejects a JWKS URL that is not a URL and a clock tolerance over five minutes', () => {
    expect(() => parseAuthEnv('gateway', { ...complete, AUTH_JWKS_URL: 'jwks.json' })).toThrow(/AUTH_JWKS_URL/);
    expect(() => parseAuthEnv('gateway', { ...complete, AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toThrow(/AUTH_CLOCK_TOLERANCE_SECONDS/);
  });

  describe('AUTH_TRUSTED_ISSUERS_FILE', () => {
    let folder: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'trusted-issuers-'));
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const file = (name: string, content: unknown) => {
      const path = join(folder, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };

    it('reads every issuer with its claim mapping, and fills in the default mapping', () => {
      const path = file('good.json', {
        issuers: [
          { issuer: 'https://login.sodertorn.se', audience: 'api://sodertorn', vouchesFor: { region: true } },
          {
            issuer: 'https://login.microsoftonline.com/tenant-of-huddinge/v2.0',
            audience: 'api://sodertorn-federation',
            vouchesFor: { municipality: '0126' },
            claims: { subject: 'oid', roles: 'groups', roleMap: { 'group-1': 'CASEWORKER' }, municipality: { value: '0126' } },
          },
        ],
      });
      const { issuers } = parseAuthEnv('gateway', { AUTH_TRUSTED_ISSUERS_FILE: path, ...complete });
      expect(issuers).toEqual([
        {
          issuer: 'https://login.sodertorn.se',
          audience: 'api://sodertorn',
          vouchesFor: { region: true, municipalStaff: false },
          claims: { subject: 'sub', roles: 'roles', municipality: { claim: 'municipality' } },
          revokedClients: [],
        },
        {
          issuer: 'https://login.microsoftonline.com/tenant-of-huddinge/v2.0',
          audience: 'api://sodertorn-federation',
          vouchesFor: { municipality: '0126' },
          claims: { subject: 'oid', roles: 'groups', roleMap: { 'group-1': 'CASEWORKER' }, municipality: { value: '0126' } },
          revokedClients: [],
        },
      ]);
    });

    it('names the wrong field of the file', () => {
      const roleTypo = file('typo.json', {
        issuers: [{ issuer: 'https://a', audience: 'b', vouchesFor: { municipality: '0126' }, claims: { roleMap: { g: 'CASEWORKR' } } }],
      });
      expect(() => parseAuthEnv('gateway', { AUTH_TRUSTED_ISSUERS_FILE: roleTypo })).toThrow(/issuers\.0\.claims\.roleMap\.g/);
      const otherMunicipality = file('other.json', {
        issuers: [{ issuer: 'https://a', audience: 'b', vouchesFor: { municipality: '0126' }, claims: { municipality: { value: '0127' } } }],
      });
      expect(() => parseAuthEnv('gateway', { AUTH_TRUSTED_ISSUERS_FILE: otherMunicipality })).toThrow(
        /issuers\.0\.claims\.municipality\.value: is 0127, but the issuer vouches for 0126/,
      );
      expect(() => parseAuthEnv('gateway', { AUTH_TRUSTED_ISSUERS_FILE: file('broken.json', '{ issuers: ') })).toThrow(/cannot be read as JSON/);
    });
  });
});
