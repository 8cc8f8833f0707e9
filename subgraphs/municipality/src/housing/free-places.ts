import type { EntityManager } from '@mikro-orm/postgresql';
import { HousingUnitStatus } from './housing-unit.enums';

/** A date range; `to` is exclusive (the day the stay ends). */
export interface Period {
  from: string;
  to: string;
}

/** Longest period free places are counted over: the API's one bound on a period (service-kit's date rules). */
export { MAX_PERIOD_DAYS } from '@sodertorn/service-kit';

/**
 * Free places per unit over a period: the unit's places minus the most places
 * occupied on any single day of the period. Occupied means what the database
 * function `booking_occupies` says: confirmed, or held and not expired. A unit
 * that is not AVAILABLE has none. One statement for all the units asked for.
 * Runs in the entity manager's transaction when it has one (and its row locks).
 */
export async function freePlacesOfUnits(em: EntityManager, unitIds: string[], period: Period): Promise<Map<string, number>> {
  if (unitIds.length === 0) return new Map();
  const rows = await em.execute<{ id: string; free: number }[]>(
    `select u.id,
            case when u.status <> ? then 0
                 else greatest(u.places - coalesce(peak.occupied, 0), 0) end as free
       from housing_unit u
       left join lateral (
         select max(daily.occupied) as occupied
           from (select sum(b.places) as occupied
                   from generate_series(?::date, ?::date - 1, interval '1 day') as day
                   join booking b on b.unit_id = u.id
                                 and booking_occupies(b.status, b.expires_at)
                                 and b.starts_on <= day and b.ends_on > day
                  group by day) as daily
       ) as peak on true
      where u.id = any(?::uuid[])`,
    [HousingUnitStatus.AVAILABLE, period.from, period.to, `{${unitIds.join(',')}}`],
  );
  return new Map(rows.map((row) => [row.id, Number(row.free)]));
}
