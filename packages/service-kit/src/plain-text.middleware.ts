import type { MiddlewareFn } from 'type-graphql';
import { ValidationFailedError, type FieldProblem } from './errors';

/**
 * Control characters (Unicode category Cc: NUL, escape, bell, DEL, the C1 range;
 * also tab and line breaks). PostgreSQL refuses a NUL in text outright, and the
 * rest have no place in a name, an address or an id: they only hide text in logs
 * and terminals. No text input of this API is multi-line; one that becomes so
 * should allow "\t" and "\n" by name here rather than get its own check.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;

export const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters (such as NUL)';

/**
 * Refuses any argument text with a control character, before the resolver or
 * the input's own validation runs: one check that every text input of a
 * subgraph passes, naming each offending field.
 */
export const refuseControlCharacters: MiddlewareFn = async ({ args }, next) => {
  const problems: FieldProblem[] = [];
  // Named as the input validation names fields: inside an input object by its own path (`firstName`), else by the argument (`endsOn`).
  for (const [name, value] of Object.entries(args)) collect(value, isObject(value) ? '' : name, problems);
  if (problems.length) throw new ValidationFailedError(problems);
  return next();
};

function collect(value: unknown, path: string, problems: FieldProblem[]): void {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) problems.push({ field: path, message: CONTROL_CHARACTER_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${path}.${i}`, problems));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) collect(item, path ? `${path}.${key}` : key, problems);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
