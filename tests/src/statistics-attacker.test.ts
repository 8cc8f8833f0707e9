import {
  devPairwiseSeed,
  maskVector,
  recordKey,
  releaseDataset,
  releaseSalt,
  STATISTICS_BLOCKS,
  STATISTICS_DATASETS,
  sumMasked,
  toStatisticsVector,
  type CountDataset,
  type ReleasedTable,
  type StatisticsCount,
} from '@sodertorn/statistics';
import { prng } from '@sodertorn/testing';
import { attack, type AttackedTable, type NewIntake } from './support/statistics-attacker';

/**
 * Issue #20's attacker against generated data with many tiny cells: five
 * municipalities of 3–12 participants each over two years (five, not eight, to
 * keep the integer programmes quick; the demo data's attack in
 * statistics.test.ts has all eight). The tables are
 * published as the system publishes them (record keys per municipality, keys
 * and counts summed by secure aggregation, the cell key method, coarsening of
 * municipal tables), and attacked by the integer programme of
 * support/statistics-attacker.ts. The truth is counted here from the generated
 * people. The same attacker against the same data published without noise
 * shows that it has teeth.
 */

const THRESHOLD = 5;
const TODAY = '2026-11-27';
const YEARS = [2025, 2026];
const MUNICIPALITIES = ['0126', '0127', '0128', '0136', '0138'];
const DATASETS = STATISTICS_DATASETS.filter((d): d is CountDataset => d.kind === 'count' && /^(intakes|active|exits)/.test(d.name));

interface Person {
  id: string;
  municipalityCode: string;
  gender: string;
  birth: string;
  referral: string;
  intake: string;
  exit: string | null;
  outcome: string | null;
}

const day = (epochDay: number) => new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
const epoch = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/** Few people per municipality, so that almost every cell is 0–4. */
function generate(seed: number): Person[] {
  const next = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const people: Person[] = [];
  for (const municipalityCode of MUNICIPALITIES) {
    const n = 3 + Math.floor(next() * 10);
    for (let i = 0; i < n; i++) {
      const intake = epoch('2025-01-01') + Math.floor(next() * (epoch(TODAY) - epoch('2025-01-01')));
      const exit = next() < 0.45 ? intake + 20 + Math.floor(next() * 300) : null;
      people.push({
        id: `${municipalityCode}-${seed}-${i}`,
        municipalityCode,
        gender: next() < 0.7 ? 'MALE' : next() < 0.85 ? 'FEMALE' : 'OTHER',
        birth: day(intake - 365 * (15 + Math.floor(next() * 30)) - Math.floor(next() * 365)),
        referral: pick(['POLICE', 'SOCIAL_SERVICES', 'PRISON_AND_PROBATION', 'SELF', 'OTHER']),
        intake: day(intake),
        exit: exit !== null && exit <= epoch(TODAY) ? day(exit) : null,
        outcome: null,
      });
      const person = people.at(-1)!;
      if (person.exit) person.outcome = pick(['COMPLETED', 'DISCONTINUED', 'RELAPSE']);
    }
  }
  return people;
}

function ageBand(birth: string, on: string): string {
  const age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5) < birth.slice(5) ? 1 : 0);
  return age < 18 ? 'UNDER_18' : age <= 20 ? '18_20' : age <= 25 ? '21_25' : age <= 30 ? '26_30' : age <= 40 ? '31_40' : '41_PLUS';
}

/** The cells a person is counted in for one year: [block, quarter (1–4), category]. */
function cellsOf(p: Person, year: number): [string, number, string][] {
  const cells: [string, number, string][] = [];
  for (let q = 1; q <= 4; q++) {
    const starts = `${year}-${String(3 * q - 2).padStart(2, '0')}-01`;
    const ends = q === 4 ? `${year + 1}-01-01` : `${year}-${String(3 * q + 1).padStart(2, '0')}-01`;
    const inQuarter = (d: string) => d >= starts && d < ends && d <= TODAY;
    if (inQuarter(p.intake))
      cells.push(['intakes.referral_source', q, p.referral], ['intakes.age_band', q, ageBand(p.birth, p.intake)], ['intakes.gender', q, p.gender]);
    if (starts <= TODAY && p.intake < ends && (p.exit === null || p.exit >= starts)) {
      cells.push(['active.age_band', q, ageBand(p.birth, p.intake > starts ? p.intake : starts)], ['active.gender', q, p.gender]);
    }
    if (p.exit !== null && inQuarter(p.exit)) cells.push(['exits.exit_outcome', q, p.outcome!]);
  }
  return cells;
}

/** The true table of a block (quarters × categories), counted here from the people. */
function truthOf(people: readonly Person[], municipalityCode: string, block: string, year: number): number[][] {
  const categories = STATISTICS_BLOCKS.find((b) => b.name === block)!.categories;
  const table = [0, 1, 2, 3].map(() => categories.map(() => 0));
  for (const p of people) {
    if (municipalityCode !== 'ALL' && p.municipalityCode !== municipalityCode) continue;
    for (const [b, q, category] of cellsOf(p, year)) if (b === block) table[q - 1]![categories.indexOf(category)]! += 1;
  }
  return table;
}

/** One municipality's vector as its shard builds it: counts and the sums of the record keys of release `release`. */
function shardVector(people: readonly Person[], municipalityCode: string, year: number, release: number): number[] {
  const cells = new Map<string, StatisticsCount & { block: string }>();
  const secret = `statistics-secret-${municipalityCode}`;
  for (const p of people.filter((person) => person.municipalityCode === municipalityCode)) {
    const key = recordKey(secret, releaseSalt(year, release), p.id);
    for (const [block, quarter, category] of cellsOf(p, year)) {
      const id = `${block}/${quarter}/${category}`;
      const cell = cells.get(id) ?? { block, quarter, category, count: 0, keySum: 0 };
      cell.count += 1;
      cell.keySum! += key;
      cells.set(id, cell);
    }
  }
  const counts: Record<string, StatisticsCount[]> = {};
  for (const { block, ...cell } of cells.values()) (counts[block] ??= []).push(cell);
  return toStatisticsVector(counts);
}

type Publish = (people: readonly Person[], release: number) => AttackedTable[];

/** What the system publishes: municipal tables perturbed (and coarsened) in each shard, the regional table from the masked sum. */
const publishWithCellKeys: Publish = (people, release) =>
  YEARS.flatMap((year) => {
    const vectors = new Map(MUNICIPALITIES.map((m) => [m, shardVector(people, m, year, release)]));
    const round = `test/${year}/${release}`;
    const seeds = devPairwiseSeed('attack-test');
    const totals = sumMasked(MUNICIPALITIES.map((m) => maskVector(m, MUNICIPALITIES, seeds, round, vectors.get(m)!)));
    return DATASETS.flatMap((dataset) => [
      attacked(release, 'ALL', releaseDataset(dataset, year, totals, THRESHOLD)),
      ...MUNICIPALITIES.map((m) => attacked(release, m, releaseDataset(dataset, year, vectors.get(m)!, THRESHOLD, { coarsen: true }))),
    ]);
  });

/** The strawman: exact counts, small ones published as 0. What the attacker should break. */
const publishExactWithSmallZeros: Publish = (people, release) =>
  YEARS.flatMap((year) =>
    DATASETS.flatMap((dataset) =>
      ['ALL', ...MUNICIPALITIES].map((m) => {
        const table = truthOf(people, m, dataset.block, year);
        const shown = (n: number) => (n > 0 && n < THRESHOLD ? 0 : n);
        const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
        return {
          release,
          municipalityCode: m,
          dataset: dataset.name,
          year,
          cells: table.map((row) => row.map(shown)),
          rowTotals: table.map((row) => shown(sum(row))),
          columnTotals: dataset.categories.map((_, c) => (dataset.yearTotal ? shown(sum(table.map((row) => row[c]!))) : null)),
          total: dataset.yearTotal ? shown(sum(table.flat())) : null,
        };
      }),
    ),
  );

function attacked(release: number, municipalityCode: string, table: ReleasedTable): AttackedTable {
  const width = table.columnTotals.length;
  return {
    release,
    municipalityCode,
    dataset: table.dataset,
    year: table.year,
    cells: [0, 1, 2, 3].map((i) => table.cells.slice(i * width, (i + 1) * width).map((c) => c.value)),
    rowTotals: table.rowTotals.map((t) => t.value),
    columnTotals: table.columnTotals.map((t) => t.value),
    total: table.total.value,
  };
}

const people = generate(20);
/** What the strawman's published value says: exact, or 0..threshold−1 for a 0. */
const exactly = (value: number) => (value === 0 ? { min: 0, max: THRESHOLD - 1 } : { min: value, max: value });

const setting = (publish: Publish, population: readonly Person[] = people) => ({
  tables: publish(population, 1),
  ...(publish === publishExactWithSmallZeros ? { possible: exactly, stopAfter: 1 } : {}),
  municipalities: MUNICIPALITIES,
  threshold: THRESHOLD,
  lastQuarter: { year: 2026, quarter: 4 },
  truth: (_release: number, m: string, block: string, year: number) => truthOf(population, m, block, year),
});

describe('Issue #20’s attacker against generated data with many tiny cells', () => {
  it('has many tiny cells to attack', () => {
    const small = DATASETS.flatMap((d) => YEARS.flatMap((year) => MUNICIPALITIES.flatMap((m) => truthOf(people, m, d.block, year).flat()))).filter(
      (n) => n > 0 && n < THRESHOLD,
    );
    expect(small.length).toBeGreaterThan(150);
  });

  it('pins small counts of tables published exactly with small counts as 0: the attacker has teeth', async () => {
    const result = await attack(setting(publishExactWithSmallZeros));
    expect(result.disclosed).toHaveLength(1);
    expect(result.disclosed[0]!.min).toBeGreaterThanOrEqual(1);
    expect(result.disclosed[0]!.max).toBeLessThan(THRESHOLD);
  });

  it('pins no small count, nor bounds one into 1..threshold−1, with every table of every dataset and year linked', async () => {
    const result = await attack(setting(publishWithCellKeys));
    expect(result.checked).toBeGreaterThan(150);
    expect(result.disclosed).toEqual([]);
  });

  it('pins nothing of the others for an insider who knows their own municipality’s counts', async () => {
    const result = await attack({ ...setting(publishWithCellKeys), insider: '0127' });
    expect(result.checked).toBeGreaterThan(150);
    expect(result.disclosed).toEqual([]);
  });

  describe('two releases around one new intake', () => {
    const newcomer: Person = {
      id: 'newcomer',
      municipalityCode: '0136',
      gender: 'FEMALE',
      birth: '2003-03-10',
      referral: 'POLICE',
      intake: '2026-05-12',
      exit: null,
      outcome: null,
    };
    const intake: NewIntake = { municipalityCode: '0136', year: 2026, quarter: 2, gender: 'FEMALE', ageBand: '21_25', referralSource: 'POLICE' };
    const after = [...people, newcomer];
    const twoReleases = (publish: Publish) => ({
      ...setting(publish),
      tables: [...publish(people, 1), ...publish(after, 2)],
      truth: (release: number, m: string, block: string, year: number) => truthOf(release === 1 ? people : after, m, block, year),
      newIntake: intake,
    });

    it('gives the newcomer’s attributes away when both releases are exact: the attacker has teeth', async () => {
      const result = await attack(twoReleases(publishExactWithSmallZeros));
      expect(result.inferred.length).toBeGreaterThan(0);
    });

    it('lets no attribute of the newcomer be inferred with certainty, and pins no small count, when the second release draws new record keys', async () => {
      const result = await attack(twoReleases(publishWithCellKeys));
      expect(result.inferred).toEqual([]);
      expect(result.disclosed).toEqual([]);
    });
  });
});
