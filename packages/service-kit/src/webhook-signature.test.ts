import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'a-receivers-shared-secret-of-32-characters';
const body = '{"id":"5b0f3f56-58ad-4bd4-9a3b-0d3f7a3c0e11","type":"placement.offered"}';
const sentAt = 1_796_000_000; // Unix seconds
const now = sentAt * 1000 + 20_000;
/** The documented algorithm, written out here rather than taken from the code under test. */
const documented = (key: string, t: number, b: string) => `v1=${createHmac('sha256', key).update(`${t}.${b}`).digest('hex')}`;

describe('Webhook signatures', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<body>" as documented', () => {
    expect(signWebhook(secret, sentAt, body)).toBe(documented(secret, sentAt, body));
  });

  it('accepts a genuine webhook within the tolerance', () => {
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature: documented(secret, sentAt, body), now })).toEqual({ valid: true });
  });

  it('accepts any one of several signatures (a secret being rotated)', () => {
    const signature = `${documented('the-old-secret-that-is-being-rotated-out', sentAt, body)} ${documented(secret, sentAt, body)}`;
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature, now })).toEqual({ valid: true });
  });

  it('detects a forged body, a forged timestamp and a wrong secret', () => {
    const signature = documented(secret, sentAt, body);
    expect(verifyWebhook({ secret, body: body.replace('offered', 'accepted'), timestamp: String(sentAt), signature, now })).toEqual({
      valid: false,
      reason: 'forged',
    });
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt + 600), signature, now: (sentAt + 600) * 1000 })).toEqual({ valid: false, reason: 'forged' });
    expect(
      verifyWebhook({ secret, body, timestamp: String(sentAt), signature: documented('an-attackers-guess-at-the-secret-32-chars', sentAt, body), now }),
    ).toEqual({ valid: false, reason: 'forged' });
  });

  it('detects a replay outside the tolerance window, in either direction', () => {
    const signature = documented(secret, sentAt, body);
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature, now: (sentAt + 301) * 1000 })).toEqual({ valid: false, reason: 'stale' });
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature, now: (sentAt - 301) * 1000 })).toEqual({ valid: false, reason: 'stale' });
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature, now: (sentAt + 60) * 1000, toleranceSeconds: 30 })).toEqual({
      valid: false,
      reason: 'stale',
    });
  });

  it('calls a request without its headers malformed', () => {
    expect(verifyWebhook({ secret, body, timestamp: undefined, signature: documented(secret, sentAt, body), now })).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(verifyWebhook({ secret, body, timestamp: 'yesterday', signature: documented(secret, sentAt, body), now })).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(verifyWebhook({ secret, body, timestamp: String(sentAt), signature: undefined, now })).toEqual({ valid: false, reason: 'malformed' });
  });
});
