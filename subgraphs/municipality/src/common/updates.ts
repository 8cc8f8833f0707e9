import { ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';

/**
 * Rejects explicit nulls for fields that cannot be empty. In an update input a
 * left-out field means "keep"; null would otherwise surface as a database error.
 */
export function rejectNulls(input: object, except: readonly string[] = []): void {
  const problems: FieldProblem[] = Object.entries(input)
    .filter(([field, value]) => value === null && !except.includes(field))
    .map(([field]) => ({ field, message: 'cannot be null; leave the field out to keep its current value' }));
  if (problems.length) throw new ValidationFailedError(problems);
}

/** Copies the fields that were given (not undefined) onto the target. */
export function applyGiven<T extends object>(target: T, changes: Partial<T>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}
