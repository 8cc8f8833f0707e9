import { STATISTICS_BLOCKS } from '@sodertorn/statistics';
import { queryRows } from './sql';

/**
 * The plain statistics blocks of one municipality for one year, computed here
 * in TypeScript from the raw rows of its database — independently of the
 * shard's SQL — so that a test can compare what the region publishes with the
 * truth. Definitions follow docs/statistics-for-bi.md. With `recordKey`,
 * `keys` holds each cell's sum of its records' keys (participants' and
 * bookings' ids through recordKey), for recomputing the cell key method.
 */
export async function plainBlocks(
  databaseUrl: string,
  year: number,
  today: string,
  recordKey: (id: string) => number = () => 0,
): Promise<Record<string, number[][]>> {
  return (await plainBlocksWithKeys(databaseUrl, year, today, recordKey)).blocks;
}

export async function plainBlocksWithKeys(
  databaseUrl: string,
  year: number,
  today: string,
  recordKey: (id: string) => number,
): Promise<{ blocks: Record<string, number[][]>; keys: Record<string, number[][]> }> {
  const participants = await queryRows<{
    id: string;
    birth: string;
    gender: string;
    referral: string;
    intake: string;
    exit: string | null;
    outcome: string | null;
  }>(
    databaseUrl,
    `select id::text as id, birth_date::text as birth, gender::text as gender, referral_source::text as referral, intake_date::text as intake,
            exit_date::text as exit, exit_outcome::text as outcome from participant`,
  );
  const placements = await queryRows<{ id: string; kind: string; starts: string; ends: string; places: number; status: string }>(
    databaseUrl,
    `select b.id::text as id, u.kind::text as kind, b.starts_on::text as starts, b.ends_on::text as ends, b.places, b.status::text as status
       from booking b join housing_unit u on u.id = b.unit_id where u.status::text <> 'RETIRED'`,
  );
  const units = await queryRows<{ kind: string; places: number }>(
    databaseUrl,
    `select kind::text as kind, places from housing_unit where status::text <> 'RETIRED'`,
  );

  const empty = () => Object.fromEntries(STATISTICS_BLOCKS.map((b) => [b.name, [0, 1, 2, 3].map(() => b.categories.map(() => 0))]));
  const blocks: Record<string, number[][]> = empty();
  const keys: Record<string, number[][]> = empty();
  let record = '';
  const add = (block: string, quarter: number, category: string, amount = 1) => {
    const column = STATISTICS_BLOCKS.find((b) => b.name === block)!.categories.indexOf(category);
    if (column < 0) throw new Error(`${block}: unexpected category ${category}`);
    blocks[block]![quarter]![column]! += amount;
    keys[block]![quarter]![column]! += recordKey(record);
  };
  const quarters = [0, 1, 2, 3].map((q) => ({ q, starts: isoDate(year, q * 3, 1), ends: isoDate(year, q * 3 + 3, 1) }));
  const inQuarter = (day: string, quarter: { starts: string; ends: string }) => day >= quarter.starts && day < quarter.ends;

  for (const p of participants) {
    record = p.id;
    for (const quarter of quarters) {
      if (inQuarter(p.intake, quarter) && p.intake <= today) {
        add('intakes.referral_source', quarter.q, p.referral);
        add('intakes.age_band', quarter.q, ageBand(p.birth, p.intake));
        add('intakes.gender', quarter.q, p.gender);
      }
      const activeInQuarter = quarter.starts <= today && p.intake < quarter.ends && p.intake <= today && (p.exit === null || p.exit >= quarter.starts);
      if (activeInQuarter) {
        add('active.age_band', quarter.q, ageBand(p.birth, p.intake > quarter.starts ? p.intake : quarter.starts));
        add('active.gender', quarter.q, p.gender);
      }
      if (p.exit !== null && inQuarter(p.exit, quarter) && p.exit <= today) add('exits.exit_outcome', quarter.q, p.outcome!);
    }
  }
  for (const b of placements.filter((p) => p.status === 'CONFIRMED' || p.status === 'ENDED')) {
    record = b.id;
    for (const quarter of quarters) {
      if (inQuarter(b.starts, quarter) && b.starts <= today) add('placements_started.unit_kind', quarter.q, b.kind);
      if (inQuarter(b.ends, quarter) && b.ends <= today) {
        add('placements_ended.unit_kind', quarter.q, b.kind);
        add('placement_days_ended.unit_kind', quarter.q, b.kind, daysBetween(b.starts, b.ends));
      }
      const overlap = daysBetween(b.starts > quarter.starts ? b.starts : quarter.starts, b.ends < quarter.ends ? b.ends : quarter.ends);
      if (overlap > 0) {
        add('place_days_booked.unit_kind', quarter.q, b.kind, b.places * overlap);
        add('bookings_overlapping.unit_kind', quarter.q, b.kind);
      }
    }
  }
  for (const unit of units) {
    for (const quarter of quarters) add('place_days_available.unit_kind', quarter.q, unit.kind, unit.places * daysBetween(quarter.starts, quarter.ends));
  }
  return { blocks, keys };
}

/** Cell-wise sum of the same block over several municipalities. */
export function sumBlocks(tables: readonly (readonly (readonly number[])[])[]): number[][] {
  return tables[0]!.map((row, i) => row.map((_, j) => tables.reduce((sum, t) => sum + t[i]![j]!, 0)));
}

function isoDate(year: number, month0: number, day: number): string {
  return new Date(Date.UTC(year, month0, day)).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whole years of age on `day`, banded. */
function ageBand(birth: string, day: string): string {
  const age = Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);
  if (age < 18) return 'UNDER_18';
  if (age <= 20) return '18_20';
  if (age <= 25) return '21_25';
  if (age <= 30) return '26_30';
  if (age <= 40) return '31_40';
  return '41_PLUS';
}
