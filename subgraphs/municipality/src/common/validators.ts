import { Matches, type ValidationOptions } from 'class-validator';

/** A four-digit kommunkod such as 0126. */
export function IsMunicipalityCode(options?: ValidationOptions) {
  return Matches(/^\d{4}$/, { message: 'must hold four-digit kommunkoder such as 0126', ...options });
}
