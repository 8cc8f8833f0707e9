import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows } from '../database/read-rows';
import { HousingUnitStatus } from './housing-unit.enums';

/** A date range; `to` is exclusive (the day the stay ends). */
export interface Period {
  from: string;
  to: string;
}

/** Longest period free places are counted over: the API's one bound on a period (service-kit's date rules). */
export { MAX_PERIOD_DAYS } from '@sodertorn/service-kit';

/**
 * Whether booking `b` takes places on the days it covers: the database function
 * (see the Placements migration), in one place for every query here.
 */
const OCCUPYING = 'booking_occupies(b.status, b.expires_at)';

/**
 * Free places of a unit over a period, for a statement over `housing_unit u`: the unit's places
 * minus the most places occupied on any single day of the period. Occupied means what the database
 * function `booking_occupies` says: confirmed, ended (until its day of moving out), or held and not
 * expired. A unit that is not AVAILABLE has none. A column and the join it needs, each with its
 * parameters, so a list of units can compute it in its own statement (listHousingUnits).
 */
export function freePlacesSql(period: Period) {
  return {
    column: `case when u.status <> ? then 0 else greatest(u.places - coalesce(peak.occupied, 0), 0) end`,
    columnParams: [HousingUnitStatus.AVAILABLE] as unknown[],
    join: `left join lateral (
         select max(daily.occupied) as occupied
           from (select sum(b.places) as occupied
                   from generate_series(?::date, ?::date - 1, interval '1 day') as day
                   join booking b on b.unit_id = u.id
                                 and ${OCCUPYING}
                                 and b.starts_on <= day and b.ends_on > day
                  group by day) as daily
       ) as peak on true`,
    joinParams: [period.from, period.to] as unknown[],
  };
}

/**
 * Free places per unit over a period (see freePlacesSql), in one statement for all the units asked for.
 * Runs in the entity manager's transaction when it has one (and its row locks).
 */
export async function freePlacesOfUnits(em: EntityManager, unitIds: string[], period: Period): Promise<Map<string, number>> {
  if (unitIds.length === 0) return new Map();
  const free = freePlacesSql(period);
  const rows = await readRows<{ id: string; free: number }>(
    em,
    `select u.id, ${free.column} as free from housing_unit u ${free.join} where u.id = any(?::uuid[])`,
    [...free.columnParams, ...free.joinParams, `{${unitIds.join(',')}}`],
  );
  return new Map(rows.map((row) => [row.id, Number(row.free)]));
}

/** A run of days with the same number of free places, `to` exclusive. */
export interface FreePlaceRun {
  from: string;
  to: string;
  freePlaces: number;
}

/**
 * Free places per unit day by day over a period, as runs of days with the same
 * number: what a caller needs to count free places over many stays at once
 * (the region's matching). The count changes only where an occupying booking
 * starts or ends, so the work grows with the bookings, not with the days.
 * Same rules as freePlacesOfUnits; the runs cover the whole period.
 */
export async function freePlaceRunsOfUnits(em: EntityManager, unitIds: string[], period: Period): Promise<Map<string, FreePlaceRun[]>> {
  if (unitIds.length === 0) return new Map();
  const ids = `{${unitIds.join(',')}}`;
  const rows = await readRows<{ id: string; from: string; to: string; free: number }>(
    em,
    `with bounds as (
       select u.id, ?::date as day from housing_unit u where u.id = any(?::uuid[])
       union
       select b.unit_id, edge.day
         from booking b cross join lateral (values (b.starts_on), (b.ends_on)) as edge(day)
        where b.unit_id = any(?::uuid[]) and ${OCCUPYING} and edge.day > ?::date and edge.day < ?::date
     ),
     segments as (
       select id, day, coalesce(lead(day) over (partition by id order by day), ?::date) as next_day from bounds
     )
     select s.id, s.day::text as "from", s.next_day::text as "to",
            case when u.status <> ? then 0
                 else greatest(u.places - coalesce((select sum(b.places) from booking b
                                                     where b.unit_id = s.id and ${OCCUPYING}
                                                       and b.starts_on <= s.day and b.ends_on > s.day), 0), 0) end as free
       from segments s join housing_unit u on u.id = s.id
      order by s.id, s.day`,
    [period.from, ids, ids, period.from, period.to, period.to, HousingUnitStatus.AVAILABLE],
  );
  const runs = new Map<string, FreePlaceRun[]>();
  for (const row of rows) {
    const unitRuns = runs.get(row.id) ?? [];
    const last = unitRuns[unitRuns.length - 1];
    const free = Number(row.free);
    // Neighbouring segments with the same count are one run (a booking ending as another starts).
    if (last && last.freePlaces === free) last.to = row.to;
    else unitRuns.push({ from: row.from, to: row.to, freePlaces: free });
    runs.set(row.id, unitRuns);
  }
  return runs;
}
