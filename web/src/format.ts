/** Dates and numbers as Swedes read them, in the Swedish calendar (Europe/Stockholm), whatever the browser's zone. */
export const TIME_ZONE = 'Europe/Stockholm';

const isoDay = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Sweden as YYYY-MM-DD. */
export function todayInStockholm(now: Date = new Date()): string {
  return isoDay.format(now);
}

/** A YYYY-MM-DD date `days` later (calendar days; no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A calendar date, e.g. "4 dec. 2026" (sv) or "4 Dec 2026" (en). */
export function formatDate(date: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'sv-SE', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** A moment, e.g. a hold's expiry, in Swedish time. */
export function formatDateTime(moment: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'sv-SE', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(
    new Date(moment),
  );
}

/** Numbers with Swedish digit grouping (a narrow no-break space) in both languages. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat('sv-SE').format(value);
}

/** The Monday of a YYYY-MM-DD date's week (Swedish weeks start on Monday). */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** The ISO 8601 week number (vecka) of a YYYY-MM-DD date, as Swedish calendars number weeks. */
export function isoWeek(date: string): number {
  const thursday = new Date(`${addDays(mondayOf(date), 3)}T00:00:00Z`);
  const firstOfYear = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - firstOfYear) / 86_400_000 / 7) + 1;
}

/** The moment a Swedish calendar day begins (midnight in Europe/Stockholm), as an ISO instant. */
export function startOfDayInStockholm(date: string): string {
  const midnightUtc = new Date(`${date}T00:00:00Z`);
  // Stockholm's offset that day ("GMT+01:00" or "GMT+02:00"); no change of clocks happens at midnight.
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(midnightUtc)
    .find((p) => p.type === 'timeZoneName')!
    .value.match(/([+-])(\d\d):(\d\d)/);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(midnightUtc.getTime() - minutes * 60_000).toISOString();
}
