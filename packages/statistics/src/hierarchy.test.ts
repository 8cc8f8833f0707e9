import {
  DisclosureError,
  MIN_RANGE,
  RANGE_TOLERANCE,
  protectTable,
  type FeasibleRange,
  type ProtectedTable,
} from './disclosure-control';
import { jointFeasibleRange, protectRegionalTable, type PublishedMunicipalTable } from './hierarchy';
import { solver } from './solver';
import { prng } from './__tests__/prng';

type Table = number[][];

const WIDE = MIN_RANGE - RANGE_TOLERANCE;

/** What a municipality sends after protecting its table. */
function publishedOf(code: string, result: ProtectedTable): PublishedMunicipalTable {
  return {
    municipalityCode: code,
    cells: result.cells.map((row) => row.map((cell) => cell.value)),
    rowTotals: [...result.rowTotals],
    columnTotals: [...result.columnTotals],
  };
}

function sumTables(tables: readonly Table[]): Table {
  return tables[0]!.map((row, i) => row.map((_, j) => tables.reduce((s, t) => s + t[i]![j]!, 0)));
}

/**
 * An independent checker of the joint publication, written apart from
 * hierarchy.ts and built differently: one LP column for EVERY cell of every
 * table (municipal tables, then the regional one), published cells fixed by
 * their bounds, every published total as a full-line row, and a row
 * `R[p] − Σ_m M_m[p] = 0` for each position; a sparse matrix passed to a
 * persistent HiGHS model whose objective is switched from cell to cell.
 *
 * Returns the range of each suppressed cell, keyed `m<k>:i,j` or `R:i,j`.
 */
async function jointRanges(
  regional: ProtectedTable,
  municipal: readonly PublishedMunicipalTable[],
): Promise<Map<string, FeasibleRange>> {
  const highs = await solver();
  const rows = regional.cells.length;
  const columns = regional.cells[0]!.length;
  const tables = [
    ...municipal.map((t) => ({ key: `m${municipal.indexOf(t)}`, ...t })),
    {
      key: 'R',
      cells: regional.cells.map((row) => row.map((cell) => cell.value)),
      rowTotals: regional.rowTotals as (number | null)[],
      columnTotals: regional.columnTotals as (number | null)[],
    },
  ];
  const column = (t: number, i: number, j: number): number => (t * rows + i) * columns + j;
  const numCols = tables.length * rows * columns;
  const colLower: number[] = [];
  const colUpper: number[] = [];
  tables.forEach((t) =>
    t.cells.forEach((row) =>
      row.forEach((value) => {
        colLower.push(value ?? 0);
        colUpper.push(value ?? highs.infinity);
      }),
    ),
  );
  // Constraint rows, each as (column indices, coefficients, right-hand side).
  const constraints: { indices: number[]; values: number[]; rhs: number }[] = [];
  tables.forEach((t, k) => {
    t.rowTotals.forEach((total, i) => {
      if (total === null) return;
      const indices = Array.from({ length: columns }, (_, j) => column(k, i, j));
      constraints.push({ indices, values: indices.map(() => 1), rhs: total });
    });
    t.columnTotals.forEach((total, j) => {
      if (total === null) return;
      const indices = Array.from({ length: rows }, (_, i) => column(k, i, j));
      constraints.push({ indices, values: indices.map(() => 1), rhs: total });
    });
  });
  const regionalIndex = tables.length - 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      const indices = [column(regionalIndex, i, j), ...municipal.map((_, m) => column(m, i, j))];
      constraints.push({ indices, values: [1, ...municipal.map(() => -1)], rhs: 0 });
    }
  }
  const starts = [0];
  for (const c of constraints) starts.push(starts[starts.length - 1]! + c.indices.length);
  const model = {
    numCols,
    numRows: constraints.length,
    colCost: new Array<number>(numCols).fill(0),
    colLower,
    colUpper,
    rowLower: constraints.map((c) => c.rhs),
    rowUpper: constraints.map((c) => c.rhs),
    matrix: {
      format: 'csr' as const,
      numRows: constraints.length,
      numCols,
      starts,
      indices: constraints.flatMap((c) => c.indices),
      values: constraints.flatMap((c) => c.values),
    },
  };
  const { optimal, unbounded, unboundedOrInfeasible } = highs.constants.modelStatus;
  const { minimize, maximize } = highs.constants.objectiveSense;
  return highs.withModel(model, (lp) => {
    lp.options.set('output_flag', false);
    const ranges = new Map<string, FeasibleRange>();
    let previous: number | undefined;
    tables.forEach((t, k) =>
      t.cells.forEach((row, i) =>
        row.forEach((value, j) => {
          if (value !== null) return;
          const target = column(k, i, j);
          if (previous !== undefined) lp.changeColCost(previous, 0);
          lp.changeColCost(target, 1);
          previous = target;
          const optimum = (sense: typeof minimize): number => {
            lp.changeObjectiveSense(sense);
            const status = lp.run().modelStatus;
            if (status === optimal) return lp.getObjectiveValue();
            if (sense === maximize && (status === unbounded || status === unboundedOrInfeasible)) return Infinity;
            throw new Error(`checker: status ${status} for ${t.key}:${i},${j}`);
          };
          ranges.set(`${t.key}:${i},${j}`, { min: optimum(minimize), max: optimum(maximize) });
        }),
      ),
    );
    return ranges;
  });
}

/** Keys of the suppressed cells whose joint range is narrower than MIN_RANGE. */
function pinned(ranges: Map<string, FeasibleRange>): string[] {
  return [...ranges].filter(([, r]) => r.max - r.min < WIDE).map(([key]) => key);
}

/** Everything protectRegionalTable promises about one release, checked against the true tables. */
async function expectSafeRegionalRelease(
  truth: { regional: Table; municipal: readonly Table[] },
  published: readonly PublishedMunicipalTable[],
  result: ProtectedTable,
): Promise<void> {
  const { regional } = truth;
  const threshold = result.threshold;
  expect(result.rowTotals).toEqual(regional.map((row) => row.reduce((s, v) => s + v, 0)));
  expect(result.columnTotals).toEqual(regional[0]!.map((_, j) => regional.reduce((s, row) => s + row[j]!, 0)));
  regional.forEach((row, i) =>
    row.forEach((value, j) => {
      const cell = result.cells[i]![j]!;
      if (value > 0 && value < threshold) {
        expect(cell).toEqual({ value: null, suppressed: true, reason: 'PRIMARY' });
      } else if (cell.suppressed) {
        expect(cell.value).toBeNull();
        expect(['SECONDARY', 'DIFFERENCING']).toContain(cell.reason);
      } else {
        expect(cell).toEqual({ value, suppressed: false, reason: null });
      }
      // Nothing is withheld in vain: a suppressed regional cell sits over a suppressed municipal one.
      if (cell.suppressed) expect(published.some((t) => t.cells[i]![j] === null)).toBe(true);
    }),
  );
  // The two-per-line rule holds on the regional table…
  const mask = result.cells.map((row) => row.map((cell) => cell.suppressed));
  mask.forEach((row) => expect(row.filter(Boolean).length).not.toBe(1));
  mask[0]!.forEach((_, j) => expect(mask.filter((row) => row[j]).length).not.toBe(1));
  // …and jointly with the municipal tables no suppressed cell is pinned, and each range holds the truth.
  const ranges = await jointRanges(result, published);
  expect(pinned(ranges)).toEqual([]);
  for (const [key, { min, max }] of ranges) {
    const [table, at] = key.split(':') as [string, string];
    const [i, j] = at.split(',').map(Number) as [number, number];
    const value = table === 'R' ? regional[i]![j]! : truth.municipal[Number(table.slice(1))]![i]![j]!;
    expect(min).toBeLessThanOrEqual(value + RANGE_TOLERANCE);
    expect(max).toBeGreaterThanOrEqual(value - RANGE_TOLERANCE);
  }
}

describe('protectRegionalTable', () => {
  it('suppresses a regional cell that would give away the only municipal cell suppressed under it', async () => {
    const a = [
      [2, 6, 7],
      [5, 9, 8],
      [6, 7, 10],
    ];
    const b = [
      [10, 12, 15],
      [11, 13, 14],
      [9, 8, 16],
    ];
    const regional = sumTables([a, b]);
    const municipal = [publishedOf('0114', await protectTable(a)), publishedOf('0115', await protectTable(b))];
    expect(municipal[0]!.cells[0]![0]).toBeNull();
    expect(municipal[1]!.cells.flat()).not.toContain(null);

    // Naively, the regional table has no small cell and is published whole: 12 − 10 gives away A's 2.
    const naive = await protectTable(regional);
    expect(naive.cells.flat().every((cell) => !cell.suppressed)).toBe(true);
    const naiveRanges = await jointRanges(naive, municipal);
    expect(naiveRanges.get('m0:0,0')).toEqual({ min: 2, max: 2 });
    expect(pinned(naiveRanges)).toContain('m0:0,0');

    const result = await protectRegionalTable(regional, municipal);
    expect(result.cells[0]![0]).toEqual({ value: null, suppressed: true, reason: 'DIFFERENCING' });
    const ranges = await jointRanges(result, municipal);
    const range = ranges.get('m0:0,0')!;
    expect(range.max - range.min).toBeGreaterThanOrEqual(WIDE);
    expect(await jointFeasibleRange(regionalRelease(result), municipal, { table: 0, row: 0, column: 0 })).toEqual(range);
    await expectSafeRegionalRelease({ regional, municipal: [a, b] }, municipal, result);
  });

  it('protects random hierarchies of 8 municipalities with small counts', async () => {
    const random = prng(20261204);
    /** Values 0–8, a fifth of the rows all zero, and zeros at rate `zeros` elsewhere. */
    const municipalTable = (rows: number, columns: number, zeros: number): Table =>
      Array.from({ length: rows }, () => {
        const empty = random() < 0.2;
        return Array.from({ length: columns }, () => (empty || random() < zeros ? 0 : 1 + Math.floor(random() * 8)));
      });
    let naiveLeaks = 0;
    let differencing = 0;
    let regionalPrimary = 0;
    const hierarchies = 12;
    for (let h = 0; h < hierarchies; h++) {
      const columns = 3 + (h % 3);
      // Sparser municipalities in the second half, so that regional cells are small too.
      const zeros = h < hierarchies / 2 ? 0.35 : 0.75;
      const tables: Table[] = [];
      const municipal: PublishedMunicipalTable[] = [];
      while (tables.length < 8) {
        const table = municipalTable(4, columns, zeros);
        // A table that protectTable refuses would be withheld whole; that case has its own test.
        const result = await protectTable(table).catch((error: unknown) => {
          if (error instanceof DisclosureError) return undefined;
          throw error;
        });
        if (!result) continue;
        tables.push(table);
        municipal.push(publishedOf(`01${String(tables.length).padStart(2, '0')}`, result));
      }
      const regional = sumTables(tables);
      const naive = await protectTable(regional);
      const naiveRanges = await jointRanges(naive, municipal);
      if (pinned(naiveRanges).length > 0) naiveLeaks++;
      // The module's own LP (which drives its choices) agrees with the checker, pinned cells included.
      for (const [m, table] of municipal.entries()) {
        for (const [row, cells] of table.cells.entries()) {
          for (const [column, value] of cells.entries()) {
            if (value !== null) continue;
            const range = await jointFeasibleRange(regionalRelease(naive), municipal, { table: m, row, column });
            const expected = naiveRanges.get(`m${m}:${row},${column}`)!;
            expect(range.min).toBeCloseTo(expected.min, 6);
            expect(range.max).toBeCloseTo(expected.max, 6);
          }
        }
      }

      const result = await protectRegionalTable(regional, municipal);
      differencing += result.cells.flat().filter((cell) => cell.reason === 'DIFFERENCING').length;
      regionalPrimary += result.cells.flat().filter((cell) => cell.reason === 'PRIMARY').length;
      await expectSafeRegionalRelease({ regional, municipal: tables }, municipal, result);
    }
    // The data make the danger real: most naive regional releases give a municipal cell away.
    expect(naiveLeaks).toBeGreaterThanOrEqual(hierarchies / 2);
    expect(differencing).toBeGreaterThan(0);
    expect(regionalPrimary).toBeGreaterThan(0);
  });

  it('finds a protection where protectTable’s own complements lean on a cell the municipal tables make public (demo data, placements started)', async () => {
    // Regional Q3 has one small cell; protectTable's complement for it is a zero that every municipality publishes.
    const regional = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0], [48, 22, 29, 54]];
    const zeros = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
    const withheld = (q4: (number | null)[], code: string): PublishedMunicipalTable => ({ municipalityCode: code, cells: [...zeros, q4], rowTotals: [null, null, null, null], columnTotals: [null, null, null, null] });
    const municipal: PublishedMunicipalTable[] = [
      withheld([null, null, null, 0], '0126'),
      { municipalityCode: '0127', cells: [...zeros, [7, 6, 8, 12]], rowTotals: [0, 0, 0, 33], columnTotals: [7, 6, 8, 12] },
      withheld([null, null, null, 0], '0128'),
      { municipalityCode: '0136', cells: [zeros[0]!, zeros[1]!, [0, null, null, 0], [7, null, null, 14]], rowTotals: [0, 0, 1, 26], columnTotals: [7, 4, 2, 14] },
      withheld([null, null, null, null], '0138'),
      withheld([null, null, null, null], '0140'),
      withheld([null, null, 0, null], '0181'),
      withheld([null, 0, null, null], '0192'),
    ];
    const result = await protectRegionalTable(regional, municipal);
    expect(result.cells[2]![1]).toEqual({ value: null, suppressed: true, reason: 'PRIMARY' });
    expect(pinned(await jointRanges(result, municipal))).toEqual([]);
    const mask = result.cells.map((row) => row.map((cell) => cell.suppressed));
    mask.forEach((row) => expect(row.filter(Boolean).length).not.toBe(1));
    mask[0]!.forEach((_, j) => expect(mask.filter((row) => row[j]).length).not.toBe(1));
  });

  it('accepts municipal tables with withheld totals', async () => {
    const a = [
      [3, 8, 0, 6],
      [7, 2, 9, 5],
      [0, 6, 4, 8],
    ];
    const b = [
      [5, 0, 7, 1],
      [9, 6, 0, 8],
      [6, 2, 7, 0],
    ];
    const c = [
      [8, 7, 6, 9],
      [2, 9, 8, 7],
      [6, 0, 9, 3],
    ];
    const regional = sumTables([a, b, c]);
    const municipal = [
      publishedOf('0114', await protectTable(a)),
      publishedOf('0115', await protectTable(b)),
      publishedOf('0117', await protectTable(c)),
    ];
    // A withholds its row totals, B a column total, C every total.
    municipal[0]!.rowTotals = [null, null, null];
    municipal[1]!.columnTotals[2] = null;
    municipal[2]!.rowTotals = [null, null, null];
    municipal[2]!.columnTotals = [null, null, null, null];
    const result = await protectRegionalTable(regional, municipal);
    await expectSafeRegionalRelease({ regional, municipal: [a, b, c] }, municipal, result);
  });

  it('refuses a municipal table whose withheld totals the regional totals give back', async () => {
    // A could not protect its table (one positive row and column), so it withheld every positive
    // cell and every total; but A's row 0 total = 32 (regional) − 30 (B), and A's (0, 1) is a published 0.
    const a = [
      [2, 0],
      [0, 0],
    ];
    const b = [
      [10, 20],
      [30, 40],
    ];
    await expect(protectTable(a)).rejects.toThrow(DisclosureError);
    const withheld: PublishedMunicipalTable = {
      municipalityCode: '0114',
      cells: [
        [null, 0],
        [0, 0],
      ],
      rowTotals: [null, null],
      columnTotals: [null, null],
    };
    const municipal = [withheld, publishedOf('0115', await protectTable(b))];
    const regional = sumTables([a, b]);
    await expect(protectRegionalTable(regional, municipal)).rejects.toThrow(DisclosureError);
    // It is a real leak: even with the one regional cell over A's suppressed cell withheld, A's cell is pinned.
    const mostWithheld: ProtectedTable = {
      ...(await protectTable(regional)),
      cells: regional.map((row, i) =>
        row.map((value, j) =>
          i === 0 && j === 0 ? { value: null, suppressed: true, reason: 'DIFFERENCING' } : { value, suppressed: false, reason: null },
        ),
      ),
    };
    expect((await jointRanges(mostWithheld, municipal)).get('m0:0,0')).toEqual({ min: 2, max: 2 });
  });

  it('is protectTable without municipal tables, and passes on its DisclosureError', async () => {
    const regional = [
      [1, 2, 3, 40, 50],
      [2, 1, 60, 70, 80],
      [45, 55, 1, 2, 65],
      [75, 85, 2, 1, 95],
    ];
    expect(await protectRegionalTable(regional, [], { threshold: 4 })).toEqual(await protectTable(regional, { threshold: 4 }));
    const municipal: PublishedMunicipalTable[] = [
      { municipalityCode: '0114', cells: [[null, 30], [0, 0]], rowTotals: [32, 0], columnTotals: [2, 30] },
    ];
    await expect(protectRegionalTable([[2, 30], [0, 0]], municipal)).rejects.toThrow(DisclosureError);
  });

  it('refuses municipal tables that do not fit the regional one', async () => {
    const regional = [
      [10, 20],
      [30, 40],
    ];
    const table = (cells: (number | null)[][], rowTotals: (number | null)[], columnTotals: (number | null)[]) => [
      { municipalityCode: '0114', cells, rowTotals, columnTotals },
    ];
    await expect(protectRegionalTable(regional, table([[10, 20]], [30], [10, 20]))).rejects.toThrow(/2 × 2/);
    await expect(protectRegionalTable(regional, table([[10, 20], [30, 40]], [30], [40, 60]))).rejects.toThrow(/row totals/);
    await expect(protectRegionalTable(regional, table([[10, 20], [30, -1]], [30, 70], [40, 60]))).rejects.toThrow(/non-negative/);
    // One municipality's published cells must make up the regional ones where it suppressed nothing…
    await expect(protectRegionalTable(regional, table([[10, 20], [30, 41]], [30, 71], [40, 61]))).rejects.toThrow(/regional cell 40/);
    // …and its published cells must fit its own totals.
    await expect(protectRegionalTable(regional, table([[10, 20], [30, 40]], [31, 70], [40, 60]))).rejects.toThrow(/total 31/);
  });
});

describe('jointFeasibleRange', () => {
  it('reports an unbounded maximum as an infinitely wide range', async () => {
    // Nothing bounds a suppressed municipal cell when no total over it is published.
    const regional = { cells: [[null, null], [null, 5]], rowTotals: [null, null], columnTotals: [null, null] };
    const municipal = [{ municipalityCode: '0114', cells: [[null, 1], [1, 5]], rowTotals: [null, null], columnTotals: [null, null] }];
    expect(await jointFeasibleRange(regional, municipal, { table: 0, row: 0, column: 0 })).toEqual({ min: 0, max: Infinity });
    expect(await jointFeasibleRange(regional, municipal, { table: 'regional', row: 0, column: 1 })).toEqual({ min: 1, max: 1 });
    await expect(jointFeasibleRange(regional, municipal, { table: 0, row: 0, column: 1 })).rejects.toThrow(/not suppressed/);
  });
});

/** A protected regional table as the public sees it. */
function regionalRelease(result: ProtectedTable) {
  return { cells: result.cells.map((row) => row.map((cell) => cell.value)), rowTotals: result.rowTotals, columnTotals: result.columnTotals };
}
