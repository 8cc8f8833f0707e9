import { AGE_BANDS } from './layout';

type AgeBand = (typeof AGE_BANDS)[number];

/**
 * The one definition of the age bands: each band and the oldest age (in whole years) it holds.
 * A placement request's needs profile (TypeScript) and the statistics (SQL) both come from it.
 */
const OLDEST_AGE_OF_BAND: readonly (readonly [AgeBand, number])[] = [
  ['UNDER_18', 17],
  ['18_20', 20],
  ['21_25', 25],
  ['26_30', 30],
  ['31_40', 40],
  ['41_PLUS', Number.POSITIVE_INFINITY],
];

/** Whole years from `birthDate` to `day` (both YYYY-MM-DD), as a birthday counts: 29 February births turn a year older on 1 March. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The age band of someone born on `birthDate`, on `day`. */
export function ageBand(birthDate: string, day: string): AgeBand {
  const age = ageOn(birthDate, day);
  return OLDEST_AGE_OF_BAND.find(([, oldest]) => age <= oldest)![0];
}

/** The same as SQL: the band of someone born on the date expression `birth`, on the date expression `day` (PostgreSQL's age()). */
export function ageBandSql(birth: string, day: string): string {
  const age = `extract(year from age(${day}, ${birth}))`;
  const bounded = OLDEST_AGE_OF_BAND.filter(([, oldest]) => Number.isFinite(oldest));
  const last = OLDEST_AGE_OF_BAND[OLDEST_AGE_OF_BAND.length - 1]![0];
  return `case ${bounded.map(([band, oldest]) => `when ${age} <= ${oldest} then '${band}'`).join(' ')} else '${last}' end`;
}
