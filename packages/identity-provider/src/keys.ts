import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A private ES256 signing key as a JWK, with the kid the JWKS publishes it under. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `es256-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
}

/**
 * The provider's signing keys, kept in `file` (mode 0600, outside git) so tokens
 * stay valid across restarts of the local region; created the first time.
 */
export async function loadOrCreateSigningKeys(file: string): Promise<JWK[]> {
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] }).keys;
  const keys = [await newSigningKey()];
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ keys }, null, 2), { mode: 0o600 });
  return keys;
}
