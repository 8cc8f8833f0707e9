// Built once: a formatter costs about a millisecond to make, and this runs on every statistics round and placement step.
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Sweden as YYYY-MM-DD. */
export function todayInStockholm(now: Date = new Date()): string {
  return STOCKHOLM_DATE.format(now);
}

/** `date` plus `days` (negative: minus), both YYYY-MM-DD: calendar arithmetic without time zones. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
