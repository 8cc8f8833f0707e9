import { randomUUID } from 'node:crypto';

/** What a request id may look like: a UUID, a trace id, anything short without spaces or text. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The request id to log and pass on: the caller's `x-request-id` if it looks
 * like an id, else a new UUID. The header is the client's free text, and it
 * reaches every service's log and every municipality's audit log (at most 100
 * characters there), so anything longer or with other characters — a name, a
 * sentence — is replaced, not kept.
 */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * The reason a caller gives for reading personal data (`x-purpose`), as it may
 * be kept in audit logs — including another municipality's, when the read is of
 * its unit's address: at most 200 characters, one line, and every run of four
 * or more digits (a personnummer, a date) as `#`. The audit says why, not whom.
 */
export function purposeFrom(header: string | undefined): string | undefined {
  const purpose = header?.replace(/[\r\n\t]+/g, ' ').replace(/[0-9]{4,}/g, '#').trim().slice(0, 200);
  return purpose || undefined;
}
