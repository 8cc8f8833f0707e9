import type { EntityManager } from '@mikro-orm/postgresql';
import { OCCUPYING_STATUSES } from '../bookings/booking.enums';
import { HousingUnitStatus } from './housing-unit.enums';

/** A date range; `to` is exclusive (the day the stay ends). */
export interface Period {
  from: string;
  to: string;
}

/**
 * Free places per unit over a period: the unit's places minus the most places
 * occupied on any single day of the period (held or confirmed bookings). A unit
 * that is not AVAILABLE has none. One statement for all the units asked for.
 */
export async function freePlacesOfUnits(em: EntityManager, unitIds: string[], period: Period): Promise<Map<string, number>> {
  if (unitIds.length === 0) return new Map();
  const rows: { id: string; free: number }[] = await em.getConnection().execute(
    `select u.id,
            case when u.status <> ? then 0
                 else greatest(u.places - coalesce(peak.occupied, 0), 0) end as free
       from housing_unit u
       left join lateral (
         select max(daily.occupied) as occupied
           from (select sum(b.places) as occupied
                   from generate_series(?::date, ?::date - 1, interval '1 day') as day
                   join booking b on b.unit_id = u.id
                                 and b.status = any(?::booking_status[])
                                 and b.starts_on <= day and b.ends_on > day
                  group by day) as daily
       ) as peak on true
      where u.id = any(?::uuid[])`,
    [HousingUnitStatus.AVAILABLE, period.from, period.to, postgresArray(OCCUPYING_STATUSES), postgresArray(unitIds)],
  );
  return new Map(rows.map((row) => [row.id, Number(row.free)]));
}

/** A PostgreSQL array literal; only for values of safe characters (uuids, enum names). */
function postgresArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}
