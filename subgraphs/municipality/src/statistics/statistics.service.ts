import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ageBandSql, recordKey, toStatisticsVector, type StatisticsCount } from '@sodertorn/statistics';
import { createHmac } from 'node:crypto';

/** The four quarters of the year `?` (first parameter): number, first day, first day after. */
const QUARTERS = `quarters as (
  select n as quarter, make_date(y, 3 * n - 2, 1) as starts, (make_date(y, 3 * n - 2, 1) + interval '3 months')::date as ends
    from generate_series(1, 4) n, (select ?::int as y) year)`;

/** Intakes: participants whose intake date falls in the quarter. */
const intakes = (category: string) => `with ${QUARTERS}
  select q.quarter, ${category} as category, count(*) as count, array_agg(p.id::text) as ids
    from quarters q join participant p on p.intake_date >= q.starts and p.intake_date < q.ends
   where p.intake_date <= ?::date group by 1, 2`;

/** Active: participants in the programme on some day of the quarter (so far), counted once per quarter. */
const active = (category: string) => `with ${QUARTERS}
  select q.quarter, ${category} as category, count(*) as count, array_agg(p.id::text) as ids
    from quarters q join participant p
      on p.intake_date < q.ends and p.intake_date <= ?::date and (p.exit_date is null or p.exit_date >= q.starts)
   where q.starts <= ?::date group by 1, 2`;

/** Placements: bookings that were or are lived in (CONFIRMED, ENDED) in units of the programme (not RETIRED). */
const PLACEMENTS = `booking b join housing_unit u on u.id = b.unit_id
  where b.status in ('CONFIRMED', 'ENDED') and u.status <> 'RETIRED'`;

/** `measure` over the placements whose `day` (starts_on or ends_on) falls in the quarter and has come, by unit kind, with the bookings' ids. */
const placementsOnDay = (day: 'starts_on' | 'ends_on', measure: string) => `with ${QUARTERS}
  select q.quarter, u.kind::text as category, ${measure} as count, array_agg(u.id::text) as ids
    from quarters q join (select b.id, b.starts_on, b.ends_on, u.kind from ${PLACEMENTS}) u on u.${day} >= q.starts and u.${day} < q.ends
   where u.${day} <= ?::date group by 1, 2`;

/** Days of [from, to) inside the quarter `q`. */
const overlapDays = (from: string, to: string) => `greatest(0, least(${to}, q.ends) - greatest(${from}, q.starts))`;

/**
 * What each block of the layout counts, for one year, quarter by quarter.
 * Parameters: the year, then `today` as many times as the query says `?::date`.
 * `today` keeps quarters that have not happened yet from counting plans as facts.
 */
const BLOCK_QUERIES: Record<string, { sql: string; todays: number }> = {
  'intakes.referral_source': { sql: intakes('p.referral_source::text'), todays: 1 },
  'intakes.age_band': { sql: intakes(ageBandSql('p.birth_date', 'p.intake_date')), todays: 1 },
  'intakes.gender': { sql: intakes('p.gender::text'), todays: 1 },
  // Age at the start of the quarter, or at intake if that came later.
  'active.age_band': { sql: active(ageBandSql('p.birth_date', 'greatest(q.starts, p.intake_date)')), todays: 2 },
  'active.gender': { sql: active('p.gender::text'), todays: 2 },
  'exits.exit_outcome': {
    sql: `with ${QUARTERS}
      select q.quarter, p.exit_outcome::text as category, count(*) as count, array_agg(p.id::text) as ids
        from quarters q join participant p on p.exit_date >= q.starts and p.exit_date < q.ends
       where p.exit_date <= ?::date group by 1, 2`,
    todays: 1,
  },
  'placements_started.unit_kind': { sql: placementsOnDay('starts_on', 'count(*)'), todays: 1 },
  // Ended: the day of moving out (ends_on, exclusive) has come.
  'placements_ended.unit_kind': { sql: placementsOnDay('ends_on', 'count(*)'), todays: 1 },
  'placement_days_ended.unit_kind': { sql: placementsOnDay('ends_on', 'sum(u.ends_on - u.starts_on)'), todays: 1 },
  // Occupancy counts bookings, so a quarter still to come shows what is booked for it.
  'place_days_booked.unit_kind': {
    sql: `with ${QUARTERS}
      select q.quarter, u.kind::text as category, sum(u.places * ${overlapDays('u.starts_on', 'u.ends_on')}) as count
        from quarters q join (select b.starts_on, b.ends_on, b.places, u.kind from ${PLACEMENTS}) u on u.starts_on < q.ends and u.ends_on > q.starts
       group by 1, 2`,
    todays: 0,
  },
  // The database keeps no history of a unit's status: every unit not RETIRED counts for the whole quarter.
  'place_days_available.unit_kind': {
    sql: `with ${QUARTERS}
      select q.quarter, u.kind::text as category, sum(u.places * (q.ends - q.starts)) as count
        from quarters q cross join housing_unit u where u.status <> 'RETIRED' group by 1, 2`,
    todays: 0,
  },
  'bookings_overlapping.unit_kind': {
    sql: `with ${QUARTERS}
      select q.quarter, u.kind::text as category, count(*) as count, array_agg(u.id::text) as ids
        from quarters q join (select b.id, b.starts_on, b.ends_on, u.kind from ${PLACEMENTS}) u on u.starts_on < q.ends and u.ends_on > q.starts
       group by 1, 2`,
    todays: 0,
  },
};

/**
 * This municipality's secret for record keys (the cell key method), derived
 * from its own secret key (CASE_REFERENCE_KEY) under a label of its own, so
 * that neither can be computed from the other. It never leaves the shard.
 */
export function recordKeySecret(caseReferenceKey: string): Buffer {
  return createHmac('sha256', caseReferenceKey).update('sodertorn/statistics/record-key-secret/v1').digest();
}

/**
 * This municipality's cell vector of the joint statistics for one calendar
 * year, counted in SQL in its own database, in the shared layout of
 * @sodertorn/statistics (STATISTICS_BLOCKS): each cell's count and, for blocks
 * that count records, the sum of those records' keys under `salt` (the cell
 * key method; the ids themselves stay here). Plain counts and keys never leave
 * the shard unmasked (secure aggregation) or unperturbed (its own released
 * tables). One repeatable-read transaction, so all blocks describe the same moment.
 */
export async function statisticsVector(em: EntityManager, year: number, today: string, keys: { secret: Uint8Array; salt: string }): Promise<number[]> {
  return em.transactional(
    async (tx) => {
      const counts: Record<string, StatisticsCount[]> = {};
      for (const [block, { sql, todays }] of Object.entries(BLOCK_QUERIES)) {
        const rows = await tx.execute<{ quarter: number; category: string; count: string | number; ids?: string[] }[]>(sql, [
          year,
          ...Array<string>(todays).fill(today),
        ]);
        counts[block] = rows.map((r) => ({
          quarter: Number(r.quarter),
          category: String(r.category),
          count: Number(r.count),
          ...(r.ids ? { keySum: r.ids.reduce((sum, id) => sum + recordKey(keys.secret, keys.salt, id), 0) } : {}),
        }));
      }
      return toStatisticsVector(counts);
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
