import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

/**
 * The date strings LocalDate has already found valid. graphql-js parses a field's arguments
 * every time it runs the field, so a region query checked the same `freePlaces(from:, to:)`
 * dates once per housing unit (each check builds a Date and its ISO string). Whether a string
 * is a valid calendar date never changes, so a check is made once; bounded, for safety.
 */
const validDates = new Set<string>();
const VALID_DATES_KEPT = 10_000;

function rememberValid(value: unknown): unknown {
  if (typeof value === 'string' && validDates.size < VALID_DATES_KEPT) validDates.add(value);
  return value;
}

/** Calendar date as `YYYY-MM-DD`, no time zone: dates of intake, stays and bookings (graphql-scalars' LocalDate, its checks made once per string). */
export const LocalDate = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  serialize: (value: unknown) => (typeof value === 'string' && validDates.has(value) ? value : rememberValid(LocalDateResolver.serialize(value))),
  parseValue: (value: unknown) => (typeof value === 'string' && validDates.has(value) ? value : rememberValid(LocalDateResolver.parseValue(value))),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) =>
    ast.kind === Kind.STRING && validDates.has(ast.value) ? ast.value : rememberValid(LocalDateResolver.parseLiteral(ast, variables)),
});
/** An instant, ISO 8601 with offset. */
export const DateTime = DateTimeResolver;
