import type { EntityManager } from '@mikro-orm/postgresql';
import { toStatisticsVector, type StatisticsCount } from '@sodertorn/statistics';

/**
 * This municipality's cell vector of the joint statistics for one calendar
 * year, counted in SQL in its own database, in the shared layout of
 * @sodertorn/statistics (STATISTICS_DATASETS): intakes by quarter × referral
 * source, exits by quarter × exit outcome. Plain counts: they never leave the
 * shard unmasked (maskedStatistics) or unprotected (ownStatistics).
 */
export async function statisticsVector(em: EntityManager, year: number): Promise<number[]> {
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const connection = em.getConnection();
  const read = async (sql: string): Promise<StatisticsCount[]> => {
    const rows = await connection.execute<{ quarter: number; category: string; count: number }[]>(sql, [from, to]);
    return rows.map((r) => ({ quarter: Number(r.quarter), category: String(r.category), count: Number(r.count) }));
  };
  const intakes = await read(
    `select extract(quarter from intake_date)::int as quarter, referral_source::text as category, count(*)::int as count
       from participant where intake_date >= ?::date and intake_date < ?::date group by 1, 2`,
  );
  const exits = await read(
    `select extract(quarter from exit_date)::int as quarter, exit_outcome::text as category, count(*)::int as count
       from participant where exit_date is not null and exit_date >= ?::date and exit_date < ?::date group by 1, 2`,
  );
  return toStatisticsVector({ intakes_by_referral_source: intakes, exits_by_outcome: exits });
}
