/** Longest operation name kept in logs, traces and metric labels. */
const MAX_LENGTH = 64;

/**
 * An operation name as it may be written to logs, traces and metric labels.
 *
 * Operation names are chosen by clients, and a client could put a case in one
 * (`Participant198501011234`). GraphQL already limits a name to letters, digits
 * and `_`; on top of that every run of four or more digits — a personnummer,
 * a date, a phone number — becomes `#`, and the name is cut to 64 characters.
 * What remains says which operation it was, not whom it was about.
 */
export function safeOperationName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  return name
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/[0-9]{4,}/g, '#')
    .slice(0, MAX_LENGTH);
}
