import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

/** Calendar date as `YYYY-MM-DD`, no time zone: dates of intake, stays and bookings. */
export const LocalDate = LocalDateResolver;
/** An instant, ISO 8601 with offset. */
export const DateTime = DateTimeResolver;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
