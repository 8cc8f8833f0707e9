import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { addDays, formatDate, formatDateTime, formatNumber, isoWeek } from '../format';
import type { OwnUnit } from '../pages/HousingUnits';

/** The calendar covers this many weeks from this week's Monday. */
export const CALENDAR_WEEKS = 8;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * A unit's bookings over the coming weeks: a month-style table (weeks by weekdays) with the free
 * places of each day as the API counts them (its free-place runs: confirmed bookings and live
 * holds), then the bookings themselves. A table, so a screen reader reads week, day and number.
 */
export function BookingCalendar({ unit, from }: { unit: OwnUnit; from: string }) {
  const { t, i18n } = useTranslation();
  const freeOn = (day: string) => unit.freePlaceRuns.find((r) => r.from <= day && day < r.to)?.freePlaces;
  const weeks = Array.from({ length: CALENDAR_WEEKS }, (_, w) => addDays(from, w * 7));
  const bookings = unit.bookings ?? [];
  return (
    <details className="booking-calendar">
      <summary>
        {t('units.calendar', { weeks: CALENDAR_WEEKS })}
        <span className="visually-hidden">
          : {t(`kinds.${unit.kind}`)}, {unit.district}
        </span>
      </summary>
      <div className="table-wide">
        <table className="calendar">
          <caption>
            {t('units.calendarCaption', { from: formatDate(from, i18n.language), to: formatDate(addDays(from, CALENDAR_WEEKS * 7 - 1), i18n.language) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('units.week')}</th>
              {WEEKDAYS.map((d) => (
                <th scope="col" key={d}>
                  {t(`weekdays.${d}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((monday) => (
              <tr key={monday}>
                <th scope="row">{isoWeek(monday)}</th>
                {WEEKDAYS.map((d, i) => {
                  const day = addDays(monday, i);
                  const free = freeOn(day);
                  const level = free === undefined ? 'unknown' : free === 0 ? 'full' : free < unit.places ? 'partly' : 'free';
                  return (
                    <td key={d} className={`day level-${level}`} data-day={day}>
                      <span className="date">
                        {Number(day.slice(8))}/{Number(day.slice(5, 7))}
                      </span>{' '}
                      <span className="free">{free === undefined ? '–' : t('units.freeOnDay', { count: free, formatted: formatNumber(free) })}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>{t('units.bookings')}</h4>
      {bookings.length === 0 ? (
        <p>{t('units.noBookings')}</p>
      ) : (
        <ul className="bookings">
          {bookings.map((b) => (
            <li key={b.id}>
              {formatDate(b.startsOn, i18n.language)} – {formatDate(b.endsOn, i18n.language)} ·{' '}
              {t('units.placesValue', { count: b.places, formatted: formatNumber(b.places) })} · {t(`bookingStatus.${b.status}`)}
              {b.expiresAt && <> ({t('units.heldUntil', { until: formatDateTime(b.expiresAt, i18n.language) })})</>}
              {b.placementId && (
                <>
                  {' · '}
                  <Link to={`/placements/${b.placementId}`}>{t('placements.placement', { id: b.placementId.slice(0, 8) })}</Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
