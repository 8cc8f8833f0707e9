import { ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError, type MiddlewareFn } from 'type-graphql';

/** Turns class-validator's errors into our one validation error, naming each field by its path. */
export const validationErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof ArgumentValidationError) throw new ValidationFailedError(flatten(error.extensions.validationErrors as ValidationError[]));
    throw error;
  }
};

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
