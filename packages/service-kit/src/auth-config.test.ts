import { parseAuthEnv } from './auth-config';
import { ConfigError } from './config';

describe('parseAuthEnv: a service refuses to start without a way to verify tokens', () => {
  const complete = {
    AUTH_ISSUER: 'https://login.example.se/realms/sodertorn',
    AUTH_AUDIENCE: 'sodertorn-federation',
    AUTH_JWKS_URL: 'https://login.example.se/jwks',
  };

  it('returns verifier options from a complete environment', () => {
    expect(parseAuthEnv('gateway', complete)).toEqual({
      issuer: complete.AUTH_ISSUER,
      audience: complete.AUTH_AUDIENCE,
      jwksUrl: complete.AUTH_JWKS_URL,
      jwksFile: undefined,
      clockToleranceSeconds: 30,
    });
  });

  it('names the issuer and audience when they are missing', () => {
    expect(() => parseAuthEnv('gateway', { AUTH_JWKS_URL: complete.AUTH_JWKS_URL })).toThrow(ConfigError);
    expect(() => parseAuthEnv('gateway', { AUTH_JWKS_URL: complete.AUTH_JWKS_URL })).toThrow(/AUTH_ISSUER is required[\s\S]*AUTH_AUDIENCE is required/);
  });

  it('refuses to start with neither a JWKS URL nor a JWKS file, whatever else is set', () => {
    const { AUTH_JWKS_URL: _url, ...withoutKeys } = complete;
    expect(() => parseAuthEnv('municipality subgraph', withoutKeys)).toThrow(/AUTH_JWKS_URL or AUTH_JWKS_FILE is required/);
  });

  it('accepts a JWKS file instead of a URL', () => {
    const { AUTH_JWKS_URL: _url, ...rest } = complete;
    expect(parseAuthEnv('gateway', { ...rest, AUTH_JWKS_FILE: '/etc/sodertorn/jwks.json' }).jwksFile).toBe('/etc/sodertorn/jwks.json');
  });

  it('rejects a JWKS URL that is not a URL and a clock tolerance over five minutes', () => {
    expect(() => parseAuthEnv('gateway', { ...complete, AUTH_JWKS_URL: 'jwks.json' })).toThrow(/AUTH_JWKS_URL/);
    expect(() => parseAuthEnv('gateway', { ...complete, AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toThrow(/AUTH_CLOCK_TOLERANCE_SECONDS/);
  });
});
