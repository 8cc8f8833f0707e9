import { createHmac } from 'node:crypto';

/**
 * The pseudonymous reference a placement request carries across the border:
 * HMAC-SHA256 of the request id under the municipality's own secret. Different
 * for every request, unlinkable to the participant or to other requests, and
 * meaningless outside the municipality that holds the key.
 */
export function caseReference(secretKey: string, requestId: string): string {
  return `CR-${createHmac('sha256', secretKey).update(requestId).digest('hex').slice(0, 24).toUpperCase()}`;
}
