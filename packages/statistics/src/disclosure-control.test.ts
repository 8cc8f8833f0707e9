import {
  DEFAULT_THRESHOLD,
  DisclosureError,
  MIN_RANGE,
  RANGE_TOLERANCE,
  feasibleRange,
  protectTable,
  type ProtectedTable,
} from './disclosure-control';
import { prng } from './__tests__/prng';


function mask(result: ProtectedTable): boolean[][] {
  return result.cells.map((row) => row.map((cell) => cell.suppressed));
}

function suppressedCells(result: ProtectedTable): [number, number][] {
  return result.cells.flatMap((row, i) => row.flatMap((cell, j) => (cell.suppressed ? [[i, j] as [number, number]] : [])));
}

/** Everything a released table promises, checked against the true counts. */
async function expectSafeRelease(table: number[][], result: ProtectedTable): Promise<void> {
  const { threshold } = result;
  expect(result.rowTotals).toEqual(table.map((row) => row.reduce((s, v) => s + v, 0)));
  expect(result.columnTotals).toEqual(table[0]!.map((_, j) => table.reduce((s, row) => s + row[j]!, 0)));
  table.forEach((row, i) =>
    row.forEach((value, j) => {
      const cell = result.cells[i]![j]!;
      const small = value > 0 && value < threshold;
      if (small) expect(cell).toEqual({ value: null, suppressed: true, reason: 'PRIMARY' });
      else if (cell.suppressed) expect(cell).toEqual({ value: null, suppressed: true, reason: 'SECONDARY' });
      else expect(cell).toEqual({ value, suppressed: false, reason: null });
    }),
  );
  const m = mask(result);
  // The two-per-line rule holds…
  m.forEach((row) => expect(row.filter(Boolean).length).not.toBe(1));
  m[0]!.forEach((_, j) => expect(m.filter((row) => row[j]).length).not.toBe(1));
  // …and the LP cannot pin any suppressed cell.
  for (const [i, j] of suppressedCells(result)) {
    const { min, max } = await feasibleRange(table, m, i, j);
    expect(max - min).toBeGreaterThanOrEqual(MIN_RANGE - RANGE_TOLERANCE);
    expect(min).toBeLessThanOrEqual(table[i]![j]! + RANGE_TOLERANCE);
    expect(max).toBeGreaterThanOrEqual(table[i]![j]! - RANGE_TOLERANCE);
  }
}

describe('protectTable', () => {
  describe('primary suppression', () => {
    it('suppresses 1–4 by default and publishes 5 and zeros', async () => {
      const table = [
        [0, 4, 50, 60],
        [5, 70, 80, 90],
        [40, 35, 0, 25],
      ];
      const result = await protectTable(table);
      expect(result.threshold).toBe(DEFAULT_THRESHOLD);
      expect(result.cells[0]![1]).toEqual({ value: null, suppressed: true, reason: 'PRIMARY' });
      // 5 and the zeros are not small (5 may still be needed, and is taken, as a complement).
      expect(result.cells[1]![0]!.reason).not.toBe('PRIMARY');
      expect(result.cells[0]![0]!.reason).not.toBe('PRIMARY');
      expect(result.cells[2]![2]!.reason).not.toBe('PRIMARY');
      expect(suppressedCells(result).filter(([i, j]) => result.cells[i]![j]!.reason === 'PRIMARY')).toEqual([[0, 1]]);
      await expectSafeRelease(table, result);
    });

    it('takes a configured threshold', async () => {
      const table = [
        [9, 10, 30],
        [20, 3, 40],
        [25, 35, 45],
      ];
      const ten = await protectTable(table, { threshold: 10 });
      expect(ten.threshold).toBe(10);
      expect(ten.cells[0]![0]!.reason).toBe('PRIMARY');
      expect(ten.cells[1]![1]!.reason).toBe('PRIMARY');
      expect(ten.cells[0]![1]!.reason).not.toBe('PRIMARY');
      await expectSafeRelease(table, ten);

      const three = await protectTable(table, { threshold: 3 });
      expect(suppressedCells(three)).toEqual([]);
    });

    it('refuses a threshold below 3', async () => {
      await expect(protectTable([[1, 2], [3, 4]], { threshold: 2 })).rejects.toThrow(RangeError);
      await expect(protectTable([[1, 2], [3, 4]], { threshold: 0 })).rejects.toThrow(/at least 3/);
      await expect(protectTable([[1, 2], [3, 4]], { threshold: 4.5 })).rejects.toThrow(RangeError);
    });

    it('suppresses nothing in a table without small cells', async () => {
      const table = [
        [0, 12, 50],
        [5, 0, 80],
        [40, 35, 0],
      ];
      const result = await protectTable(table);
      expect(suppressedCells(result)).toEqual([]);
      expect(result.cells.map((row) => row.map((cell) => cell.value))).toEqual(table);
      expect(await protectTable([[0, 0], [0, 0]])).toMatchObject({ rowTotals: [0, 0], columnTotals: [0, 0] });
    });
  });

  describe('secondary suppression', () => {
    it('gives one small cell complements in its row and column', async () => {
      const table = [
        [20, 30, 40],
        [25, 2, 35],
        [30, 45, 50],
      ];
      const result = await protectTable(table);
      // Smallest complements: 25 in the row, 30 in the column, and 20 closes the rectangle.
      expect(result.cells.map((row) => row.map((cell) => cell.reason))).toEqual([
        ['SECONDARY', 'SECONDARY', null],
        ['SECONDARY', 'PRIMARY', null],
        [null, null, null],
      ]);
      expect(await feasibleRange(table, mask(result), 1, 1)).toEqual({ min: 0, max: 27 });
      await expectSafeRelease(table, result);
    });

    it('adds suppressions when the two-per-line rule holds but the LP still pins a cell', async () => {
      // Two suppressed rectangles joined by one small cell (0, 2): every line has
      // two suppressed cells, yet rows 0–1 minus columns 0–1 give (0, 2) exactly.
      const table = [
        [1, 2, 3, 40, 50],
        [2, 1, 60, 70, 80],
        [45, 55, 1, 2, 65],
        [75, 85, 2, 1, 95],
        [35, 45, 55, 65, 75],
      ];
      const primary = table.map((row) => row.map((v) => v > 0 && v < 5));
      expect(await feasibleRange(table, primary, 0, 2)).toEqual({ min: 3, max: 3 });

      const result = await protectTable(table);
      expect(suppressedCells(result).length).toBeGreaterThan(9);
      expect(result.cells.flat().some((cell) => cell.reason === 'SECONDARY')).toBe(true);
      await expectSafeRelease(table, result);
    });

    it.each([
      [
        [
          [1, 9],
          [9, 1],
        ],
      ],
      [
        [
          [3, 0, 7],
          [0, 2, 8],
        ],
      ],
      [
        [
          [4, 4],
          [4, 4],
          [0, 10],
        ],
      ],
    ])('protects small table %j', async (table) => {
      await expectSafeRelease(table, await protectTable(table));
    });

    it('protects ≥ 50 random tables with many small cells', async () => {
      const random = prng(20261127);
      let protectedTables = 0;
      let withSuppressions = 0;
      for (let n = 0; protectedTables < 60; n++) {
        expect(n).toBeLessThan(200);
        const rows = 2 + Math.floor(random() * 5);
        const columns = 2 + Math.floor(random() * 5);
        const table = Array.from({ length: rows }, () =>
          Array.from({ length: columns }, () => {
            const r = random();
            if (r < 0.15) return 0;
            if (r < 0.55) return 1 + Math.floor(random() * 4);
            return 5 + Math.floor(random() * 40);
          }),
        );
        const result = await protectTable(table);
        protectedTables++;
        if (suppressedCells(result).length > 0) withSuppressions++;
        await expectSafeRelease(table, result);
      }
      expect(withSuppressions).toBeGreaterThanOrEqual(50);
    });
  });

  describe('tables that cannot be protected or are malformed', () => {
    it('refuses small cells when fewer than two rows or columns have a positive total', async () => {
      await expect(protectTable([[2, 30], [0, 0]])).rejects.toThrow(DisclosureError);
      await expect(protectTable([[2, 0], [30, 0]])).rejects.toThrow(DisclosureError);
    });

    it('refuses malformed tables', async () => {
      await expect(protectTable([[1, 2]])).rejects.toThrow(/at least 2 rows/);
      await expect(protectTable([[1], [2]])).rejects.toThrow(/at least 2 rows/);
      await expect(protectTable([[1, 2], [3]])).rejects.toThrow(/row 1/);
      await expect(protectTable([[1, -2], [3, 4]])).rejects.toThrow(/non-negative integer/);
      await expect(protectTable([[1, 2.5], [3, 4]])).rejects.toThrow(/non-negative integer/);
    });
  });
});

describe('feasibleRange', () => {
  it('is the interval a suppressed cell can take given the published cells and totals', async () => {
    const table = [
      [3, 7, 10],
      [6, 2, 20],
    ];
    const all = [
      [true, true, false],
      [true, true, false],
    ];
    // x00 + x01 = 10, x10 + x11 = 8, x00 + x10 = 9, x01 + x11 = 9
    expect(await feasibleRange(table, all, 0, 0)).toEqual({ min: 1, max: 9 });
    expect(await feasibleRange(table, all, 1, 1)).toEqual({ min: 0, max: 8 });
    // Alone in its row, a suppressed cell is its row total minus the rest.
    const lone = [
      [true, false, false],
      [false, false, false],
    ];
    expect(await feasibleRange(table, lone, 0, 0)).toEqual({ min: 3, max: 3 });
  });

  it('refuses a cell that is not suppressed or a mask of the wrong shape', async () => {
    const table = [
      [3, 7],
      [6, 2],
    ];
    await expect(feasibleRange(table, [[false, false], [false, false]], 0, 0)).rejects.toThrow(/not suppressed/);
    await expect(feasibleRange(table, [[true, true]], 0, 0)).rejects.toThrow(/shape/);
  });
});
