import { dateProblem } from '@sodertorn/service-kit';
import { Matches, registerDecorator, type ValidationOptions } from 'class-validator';

/** A four-digit kommunkod such as 0126. */
export function IsMunicipalityCode(options?: ValidationOptions) {
  return Matches(/^\d{4}$/, { message: 'must hold four-digit kommunkoder such as 0126', ...options });
}

/** Text with something in it besides white space: a name of only spaces names no one. (Empty text is the length rule's to refuse.) */
export function IsNotBlank(options?: ValidationOptions) {
  return Matches(/^$|\S/, { message: 'must not be blank', ...options });
}

/**
 * A date inside the range service-kit's date rules allow (`date`: from 2000 to
 * a few years ahead; `birthDate`: from 1900 to today). Null and undefined pass:
 * whether a date is required is the field's own business.
 */
export function IsSensibleDate(kind: 'date' | 'birthDate' = 'date', options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSensibleDate',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || dateProblem({ field: propertyName, value }, kind) === null,
        defaultMessage: (args) => dateProblem({ field: propertyName, value: String(args?.value) }, kind)?.message ?? 'is not a sensible date',
      },
    });
}
