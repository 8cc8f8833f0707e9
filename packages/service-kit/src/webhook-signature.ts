import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks, as the regional subgraph sends them and a receiver checks them (the scheme of
 * Stripe and Standard Webhooks): `webhook-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`,
 * with `webhook-timestamp` in Unix seconds and `webhook-id` the event id. The timestamp is signed,
 * so a captured request cannot be replayed later than the tolerance; within it, the receiver
 * deduplicates by `webhook-id`.
 */
export const WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** A receiver's default tolerance between the timestamp and its own clock: five minutes. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookToVerify {
  secret: string;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  /** The `webhook-timestamp` header. */
  timestamp: string | undefined;
  /** The `webhook-signature` header: one or more `v1=<hex>`, separated by spaces or commas (while a secret is rotated). */
  signature: string | undefined;
  toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds (tests move it). */
  now?: number;
}

export type WebhookVerdict = { valid: true } | { valid: false; reason: 'malformed' | 'stale' | 'forged' };

/**
 * Checks a received webhook: `forged` when no signature matches the body and timestamp
 * (compared in constant time), `stale` when the timestamp is further from `now` than the
 * tolerance (a replay), `malformed` when a header is missing or unreadable.
 */
export function verifyWebhook(request: WebhookToVerify): WebhookVerdict {
  const { secret, timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return { valid: false, reason: 'malformed' };
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), request.body.toString()));
  const matches = signature
    .split(/[\s,]+/)
    .map((candidate) => Buffer.from(candidate))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  if (!matches) return { valid: false, reason: 'forged' };
  const ageSeconds = Math.abs((request.now ?? Date.now()) / 1000 - Number(timestamp));
  if (ageSeconds > (request.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return { valid: false, reason: 'stale' };
  return { valid: true };
}
