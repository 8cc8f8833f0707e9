import { ValidationFailedError, type FieldProblem } from './errors';
import { todayInStockholm } from './today';

/**
 * The one place that says which dates the API accepts (issue #10: a request
 * starting in 1900 or ending in 9999 was accepted and corrupted the region's
 * proposals). Dates are `YYYY-MM-DD` strings, already checked as real calendar
 * dates by the LocalDate scalar, so string order is date order.
 */

/** No date argument lies before this, birth dates excepted: the programme has no records from earlier. */
export const EARLIEST_DATE = '2000-01-01';
/** The earliest birth date accepted: nobody in the programme was born before it. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';
/** How far ahead of today (in Sweden) a date may lie: plans, not typing errors. */
export const YEARS_AHEAD = 3;
/** The longest period one question may span (`from` → `to`), in days: a bound on the work it asks of a database. */
export const MAX_PERIOD_DAYS = 731;

/** A date argument as the caller named it: `field` is its path in the request (`input.earliestStart`, `to`). */
export interface DateArgument {
  field: string;
  value: string;
}

/** The latest date accepted: `YEARS_AHEAD` years after `today` (29 February goes to 1 March). */
export function latestDate(today: string = todayInStockholm()): string {
  if (today === lastLatest.today) return lastLatest.latest; // the same day for every date argument of a request
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  lastLatest = { today, latest: new Date(Date.UTC(year + YEARS_AHEAD, month - 1, day)).toISOString().slice(0, 10) };
  return lastLatest.latest;
}
let lastLatest = { today: '', latest: '' };

/**
 * What is wrong with a date, or null: any date lies from EARLIEST_DATE to
 * `YEARS_AHEAD` years ahead; a birth date from EARLIEST_BIRTH_DATE to today.
 */
export function dateProblem({ field, value }: DateArgument, kind: 'date' | 'birthDate' = 'date', today: string = todayInStockholm()): FieldProblem | null {
  if (kind === 'birthDate') {
    return value < EARLIEST_BIRTH_DATE || value > today ? { field, message: `must be from ${EARLIEST_BIRTH_DATE} to today` } : null;
  }
  const latest = latestDate(today);
  return value < EARLIEST_DATE || value > latest ? { field, message: `must be from ${EARLIEST_DATE} to ${latest} (${YEARS_AHEAD} years ahead)` } : null;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * What is wrong with a period, `to` exclusive: each end a sensible date, `from`
 * before `to`, and at most `maxDays` (default MAX_PERIOD_DAYS) long.
 */
export function periodProblems(from: DateArgument, to: DateArgument, options: { maxDays?: number; today?: string } = {}): FieldProblem[] {
  const ends = [dateProblem(from, 'date', options.today), dateProblem(to, 'date', options.today)].filter((p) => p !== null);
  if (ends.length) return ends;
  const maxDays = options.maxDays ?? MAX_PERIOD_DAYS;
  if (to.value <= from.value) return [{ field: to.field, message: `must be after ${from.field} (${to.field} is the first day not included)` }];
  if (daysBetween(from.value, to.value) > maxDays) return [{ field: to.field, message: `can be at most ${maxDays} days after ${from.field}` }];
  return [];
}

/** Throws VALIDATION_FAILED naming each field when the period is not sensible (see periodProblems). */
export function assertPeriod(from: DateArgument, to: DateArgument, options: { maxDays?: number; today?: string } = {}): void {
  const problems = periodProblems(from, to, options);
  if (problems.length) throw new ValidationFailedError(problems);
}

/** Throws VALIDATION_FAILED naming the field when the date is not sensible (see dateProblem). */
export function assertDate(date: DateArgument, kind: 'date' | 'birthDate' = 'date'): void {
  const problem = dateProblem(date, kind);
  if (problem) throw new ValidationFailedError([problem]);
}

/** What is wrong with a calendar year (statistics are by year), or null: from EARLIEST_DATE's year to the year of the latest date. */
export function yearProblem(field: string, year: number, today: string = todayInStockholm()): FieldProblem | null {
  const [first, last] = [Number(EARLIEST_DATE.slice(0, 4)), Number(latestDate(today).slice(0, 4))];
  return Number.isInteger(year) && year >= first && year <= last ? null : { field, message: `must be a year from ${first} to ${last}` };
}

/** Refuses a year outside the accepted range with VALIDATION_FAILED naming `field`. */
export function assertYear(field: string, year: number): void {
  const problem = yearProblem(field, year);
  if (problem) throw new ValidationFailedError([problem]);
}
