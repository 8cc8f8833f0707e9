// Built once: a formatter costs about a millisecond to make, and this runs on every statistics round and placement step.
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last answer, by whole minute since the epoch. */
let last = { minute: NaN, date: '' };

/**
 * Today's date in Sweden as YYYY-MM-DD. Formatted once per minute: the date rules ask for it on every
 * date argument, once per housing unit of a list, and formatting costs far more than the rule. Exact,
 * because Sweden's offset from UTC is a whole number of hours, so its day turns only as a minute starts.
 */
export function todayInStockholm(now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== last.minute) last = { minute, date: STOCKHOLM_DATE.format(now) };
  return last.date;
}

/** `date` plus `days` (negative: minus), both YYYY-MM-DD: calendar arithmetic without time zones. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
