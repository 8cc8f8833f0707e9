import { luhnValid } from '@sodertorn/service-kit';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Swedish personal identity numbers (personnummer) and coordination numbers
 * (samordningsnummer, day + 60), written YYYYMMDDNNNN or YYYYMMDD-NNNN.
 */
export function normalizePersonalIdentityNumber(value: string): string | null {
  const match = /^(\d{8})-?(\d{4})$/.exec(value.trim());
  if (!match) return null;
  const digits = `${match[1]}${match[2]}`;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  if (month < 1 || month > 12 || realDay < 1 || realDay > daysInMonth(year, month)) return null;
  return luhnValid(digits.slice(2)) ? digits : null;
}

/** Days in a month of the Gregorian calendar (month 1–12): a number must name a date that exists. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The birth date a normalized number encodes (coordination numbers minus their 60). */
export function birthDateOf(normalized: string): string {
  const day = Number(normalized.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  return `${normalized.slice(0, 4)}-${normalized.slice(4, 6)}-${String(realDay).padStart(2, '0')}`;
}

/** Luhn check over the ten digits YYMMDDNNNC (shared with service-kit, which finds numbers in request ids). */
export { luhnValid };

/** The check digit that makes nine digits YYMMDDNNN Luhn-valid. */
export function luhnCheckDigit(nineDigits: string): number {
  for (let c = 0; c <= 9; c++) if (luhnValid(`${nineDigits}${c}`)) return c;
  throw new Error('unreachable: some check digit always fits');
}

export function IsPersonalIdentityNumber(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPersonalIdentityNumber',
      target: target.constructor,
      propertyName,
      options: { message: 'must be a valid personnummer, YYYYMMDDNNNN or YYYYMMDD-NNNN', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && normalizePersonalIdentityNumber(value) !== null },
    });
}
