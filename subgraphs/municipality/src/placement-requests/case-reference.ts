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

/** Coarse age band for the needs profile: enough to match housing, too coarse to identify. */
export function ageBand(birthDate: string, today: string): string {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  if (age < 18) return 'UNDER_18';
  if (age <= 20) return '18_20';
  if (age <= 25) return '21_25';
  if (age <= 30) return '26_30';
  if (age <= 40) return '31_40';
  return '41_PLUS';
}
