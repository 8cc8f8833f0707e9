import { randomUUID } from 'node:crypto';
import { holdsPersonalIdentityNumber } from './personal-identity-number';

/** A canonical UUID of any version: 8-4-4-4-12 hexadecimal digits. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a canonical UUID (ids in this API; anything else cannot name a row, so is not looked up). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value);
}

/**
 * The request id to log and pass on: the caller's `x-request-id` if it is a
 * canonical UUID that holds no personnummer, else a new UUID (which the
 * response's `x-request-id` then names). The header is the client's free text
 * and reaches every service's log and every municipality's audit log, so only
 * a shape that cannot be a name or a sentence is kept — and since a UUID's hex
 * digits can still spell "19850101-9817-…", a UUID holding a personnummer in a
 * natural form (date and check digit valid) is replaced too. A rule such as "no
 * six digits in a row" would replace about one random UUID in ten; this one
 * replaces about one in 4,000 (measured: 265 of a million), harmlessly.
 */
export function requestIdFrom(header: string | undefined): string {
  return isUuid(header) && !holdsPersonalIdentityNumber(header) ? header : randomUUID();
}

/**
 * A number as written in a reason: digits, and the separators between them
 * (`1990-05-12`, `12/05/1990`, `12 05 1990`, `850101+9817`), masked as one.
 */
const NUMBER = /\d+(?:[-+/.: ]\d+)*/g;

/**
 * The reason a caller gives for reading personal data (`x-purpose`), as it may
 * be kept in audit logs — including another municipality's, when the read is of
 * its unit's address: at most 200 characters, one line, and every number (a
 * personnummer, a date, a case number) as `#`. Masking only long digit runs kept
 * a birth date's month and day ("1990-05-12" left "05-12"). The audit says why, not whom.
 */
export function purposeFrom(header: string | undefined): string | undefined {
  const purpose = header
    ?.replace(/[\r\n\t]+/g, ' ')
    .replace(NUMBER, '#')
    .trim()
    .slice(0, 200);
  return purpose || undefined;
}
