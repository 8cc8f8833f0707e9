import { hash } from 'node:crypto';
import type { Identity } from './identity';

export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the least recently used is forgotten first. Default 1,000; 0 remembers none. */
  maxEntries?: number;
  /**
   * Longest a verification is remembered, in ms, even if the token lives longer (default 60 s): a key
   * the issuer withdraws, once its JWKS is fetched again, stops tokens it signed within this time.
   */
  maxAgeMs?: number;
}

interface Entry {
  identity: Identity;
  /** Epoch ms after which the token is verified again: its exp, or maxAgeMs after it was verified. */
  until: number;
}

/**
 * Identities of tokens already verified, so a service does not check the same signature on every
 * request (the gateway forwards each caller's token to every shard it asks). Keyed by the token's
 * SHA-256; only successful verifications are remembered, and never past the token's exp: an expired
 * token goes through full verification again and is refused there, with the clock tolerance applied
 * in one place. Bounded (LRU) so a flood of distinct tokens cannot grow it.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  /** The identity of `token` if it was verified and is still within its time, else undefined. */
  get(token: string, now = Date.now()): Identity | undefined {
    const key = hashOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now >= entry.until) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.identity;
  }

  /** Forgets every remembered verification (a client was revoked: its tokens must be checked again at once). */
  clear(): void {
    this.entries.clear();
  }

  /** Remembers a verified token's identity until `expSeconds` (its exp claim), or maxAgeMs, whichever is sooner. */
  remember(token: string, identity: Identity, expSeconds: number, now = Date.now()): void {
    const until = Math.min(expSeconds * 1000, now + this.maxAgeMs);
    if (this.maxEntries <= 0 || until <= now) return;
    this.entries.set(hashOf(token), { identity: Object.freeze({ ...identity, roles: Object.freeze([...identity.roles]) }), until });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

// The one-shot hash: createHash costs several times more on OpenSSL 3 (it looks the algorithm up each time).
const hashOf = (token: string) => hash('sha256', token, 'base64url');
