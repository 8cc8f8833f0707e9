import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

/** Calendar date as `YYYY-MM-DD`, no time zone: dates of intake, stays and bookings. */
export const LocalDate = LocalDateResolver;
/** An instant, ISO 8601 with offset. */
export const DateTime = DateTimeResolver;
