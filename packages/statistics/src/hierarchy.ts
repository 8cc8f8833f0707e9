/**
 * Disclosure control for a regional table that is published next to the
 * municipal tables it adds up.
 *
 * The region publishes, for one dataset, the regional table R (rows = quarters,
 * columns = categories, with its row and column totals), whose cells are the
 * exact sums of the covered municipalities' cells: R[i][j] = Σ_m M_m[i][j]. Each
 * of those municipalities has already published its own table M_m, protected
 * by `protectTable`: the region sees only what anyone sees — the published
 * cells (null = suppressed) and the totals the municipality did not withhold.
 *
 * Protecting R on its own (`protectTable`) is not enough. If the region
 * publishes R[i][j] and only one municipality suppressed its cell (i, j), then
 * R[i][j] − Σ published municipal cells at (i, j) IS that suppressed cell; and
 * subtler combinations go through lines (a regional row total minus the
 * municipal row totals, …). So every suppressed cell, regional and municipal,
 * is verified against everything published together, as one linear programme
 * (`jointFeasibleRange`, HiGHS), whose right-hand sides are published values
 * only:
 * - x_{m,p} ≥ 0 for each cell p that municipality m suppressed, y_p ≥ 0 for
 *   each suppressed regional cell;
 * - each municipal line whose total is published: its suppressed cells add up
 *   to the total minus its published cells;
 * - each regional line: likewise with the regional total;
 * - each position p: y_p = Σ_m x_{m,p} + Σ_m published M_m[p], where y_p is
 *   the constant R[p] when the regional cell is published.
 * A suppressed cell is safe when its range max − min is at least
 * MIN_RANGE − RANGE_TOLERANCE (an unbounded maximum counts as infinitely wide),
 * as in disclosure-control.ts.
 *
 * Algorithm (protectRegionalTable):
 * 1. Start from `protectTable(R)`'s primary cells (its complements were chosen
 *    blind to the municipal tables). A regional cell is HIDEABLE when some
 *    municipality suppressed its cell there; at any other position R[p] is the
 *    sum of published municipal cells, public whatever the region does, so
 *    withholding it protects nothing (and could not itself be made safe).
 * 2. At every published regional position where exactly one municipality
 *    suppressed its cell, that cell equals R[p] minus published values: the
 *    regional cell is suppressed (DIFFERENCING) up front, without asking the LP.
 * 3. Repeat: the two-per-line rule of protectTable on the regional table,
 *    counting and taking only hideable cells (new complements SECONDARY); then
 *    find a suppressed cell, municipal cells first, whose joint range is too
 *    narrow. A municipal cell at a published regional position gets that
 *    regional cell suppressed; any other gets the smallest eligible regional
 *    cell of its row or column (else of the table), as protectTable would
 *    choose it; both DIFFERENCING. Stop when every cell is safe.
 * 4. If the greedy choices run out (no complement left in a line), try the
 *    most the region can withhold, every hideable cell, and verify that.
 *
 * Cost: the region only ever withholds more, which only removes constraints
 * (a constant y_p becomes a variable), so a range only widens: a cell found
 * safe is never checked again. And every LP solution found is a point of the
 * feasible set of every later round (with y_p = R[p] for a regional cell
 * suppressed since), so a cell that already takes values at least MIN_RANGE
 * apart across those points is safe without a solve of its own.
 *
 * Termination: each round suppresses one more regional cell or throws. With
 * every hideable regional cell suppressed, the regional cells add nothing that
 * the municipal tables do not; the regional totals are sums of the municipal
 * totals, so any municipal table with all its totals published, and safe on
 * its own (as protectTable makes it), stays safe, and a regional cell over at
 * least one suppressed municipal cell ranges at least as widely as that cell.
 *
 * What this cannot fix, and reports as a DisclosureError instead of publishing:
 * a municipal table that is safe only because it withheld totals (such as one
 * withheld whole, every positive cell suppressed) can have those totals
 * recovered from the regional totals and the other municipalities' totals; no
 * regional cell suppression helps then, since the regional totals are always
 * published. The caller withholds the regional table.
 *
 * Assumptions: `municipal` lists EVERY municipality that R covers (the identity
 * R = Σ_m M_m is exact; a missing one makes the model wrong, and typically
 * inconsistent), and a regional primary cell is hideable — true when the
 * municipalities used the same threshold or a higher one, since their published
 * cells are then 0 or at least the threshold. A small regional cell whose
 * municipal cells are all published is still suppressed (PRIMARY), but it is
 * public through the municipal tables and is neither counted nor verified.
 */
import {
  DisclosureError,
  MIN_RANGE,
  RANGE_TOLERANCE,
  complementRules,
  protectTable,
  totals,
  type FeasibleRange,
  type ProtectTableOptions,
  type ProtectedTable,
  type SuppressionReason,
} from './disclosure-control';
import { solver, type Highs } from './solver';

/** A released table as anyone sees it: null where suppressed or withheld. */
export interface PublishedTable {
  /** The published cells; null = suppressed. */
  cells: (number | null)[][];
  /** null = withheld. */
  rowTotals: (number | null)[];
  /** null = withheld. */
  columnTotals: (number | null)[];
}

/** A covered municipality's own table, as it published it (protected by protectTable). */
export interface PublishedMunicipalTable extends PublishedTable {
  municipalityCode: string;
}

/** A cell of the joint publication: of the regional table, or of `municipal[table]`. */
export interface JointCell {
  table: 'regional' | number;
  row: number;
  column: number;
}

/**
 * The range of values that suppressed cell `cell` can take given everything
 * published: the regional table and every municipal table (see the module
 * comment for the model). `max` is Infinity when nothing bounds the cell.
 *
 * @throws RangeError when the cell is not suppressed or the tables do not fit together
 * @throws Error when the published values contradict each other (the LP is infeasible)
 */
export async function jointFeasibleRange(
  regional: PublishedTable,
  municipal: readonly PublishedMunicipalTable[],
  cell: JointCell,
): Promise<FeasibleRange> {
  assertPublished(regional, regional.cells.length, regional.cells[0]?.length ?? 0, 'the regional table');
  municipal.forEach((table) => assertPublished(table, regional.cells.length, regional.cells[0]!.length, label(table)));
  const table = cell.table === 'regional' ? regional : municipal[cell.table];
  if (table?.cells[cell.row]?.[cell.column] !== null) {
    throw new RangeError(`${describe(cell, municipal)} is not suppressed`);
  }
  return new JointModel(regional, municipal).range(await solver(), variable(cell)).range;
}

/**
 * Protects the regional table `regional` (true counts) against disclosure on
 * its own and by differencing with the published municipal tables (see the
 * module comment). The result has the shape of protectTable's; a regional cell
 * suppressed because of the municipal tables has the reason DIFFERENCING. With
 * no municipal tables it is exactly protectTable(regional, options).
 *
 * @throws RangeError for a malformed table, a threshold below 3, or municipal
 *   tables that do not fit the regional one (shape, or published values that
 *   exceed or do not make up the regional ones)
 * @throws DisclosureError when the regional table cannot be protected on its
 *   own (from protectTable), or when a suppressed cell stays pinned with every
 *   regional cell that could hide it suppressed
 */
export async function protectRegionalTable(
  regional: readonly (readonly number[])[],
  municipal: readonly PublishedMunicipalTable[],
  options: ProtectTableOptions = {},
): Promise<ProtectedTable> {
  const base = await protectTable(regional, options);
  if (municipal.length === 0) return base;
  assertMunicipal(regional, municipal);
  const { rowTotals, columnTotals } = totals(regional);
  const rows = regional.length;
  const columns = regional[0]!.length;
  const unknownsAt = (r: number, c: number): number => municipal.filter((t) => at(t, r, c) === null).length;
  const hideable = (r: number, c: number): boolean => unknownsAt(r, c) > 0;

  // 1. protectTable's primary cells only: its complements were chosen without
  // knowing which cells the municipal tables make public, and one that hides
  // nothing can leave its partner alone in a line.
  const reason: (SuppressionReason | null)[][] = base.cells.map((row) => row.map((cell) => (cell.reason === 'PRIMARY' ? 'PRIMARY' : null)));
  // 2. A lone suppressed municipal cell is R[p] minus published values.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (reason[r]![c] === null && unknownsAt(r, c) === 1) reason[r]![c] = 'DIFFERENCING';
    }
  }

  // 3. Two per line and the joint LP, to a fixpoint.
  const rules = complementRules(regional, reason, rowTotals, columnTotals, hideable);
  const verified = new Set<string>();
  const points: Point[] = [];
  const highs = await solver();
  const publication = (): PublishedTable => ({
    cells: regional.map((row, r) => row.map((value, c) => (reason[r]![c] === null ? value : null))),
    rowTotals,
    columnTotals,
  });
  const candidates = (published: PublishedTable): JointCell[] => [
    ...municipal.flatMap((table, m) => suppressedCells(table.cells).map(([row, column]) => ({ table: m, row, column }))),
    ...suppressedCells(published.cells)
      .filter(([r, c]) => hideable(r, c))
      .map(([row, column]) => ({ table: 'regional' as const, row, column })),
  ];
  let stuck: string | undefined;
  for (;;) {
    try {
      rules.twoPerLine();
    } catch (error) {
      if (!(error instanceof DisclosureError)) throw error;
      stuck = `regional table: ${error.message}: its other cells are in lines with a zero total or public through the municipal tables`;
      break;
    }
    const published = publication();
    const unsafe = firstUnsafe(highs, new JointModel(published, municipal), candidates(published), verified, points, regional);
    if (!unsafe) break;
    const { row, column } = unsafe;
    const next: [number, number] | undefined =
      unsafe.table !== 'regional' && reason[row]![column] === null ? [row, column] : rules.complementNear(row, column);
    if (!next) {
      stuck =
        `${describe(unsafe, municipal)} stays pinned with every regional cell that could hide it suppressed ` +
        '(a municipal table unsafe on its own, or safe only by withholding totals that the regional totals restore)';
      break;
    }
    reason[next[0]]![next[1]] = 'DIFFERENCING';
  }
  // 4. The greedy choices can paint themselves into a corner; the most the region
  // can withhold (every cell that could hide something) is the last resort.
  if (stuck) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) if (reason[r]![c] === null && hideable(r, c)) reason[r]![c] = 'DIFFERENCING';
    const published = publication();
    if (firstUnsafe(highs, new JointModel(published, municipal), candidates(published), verified, points, regional)) throw new DisclosureError(stuck);
  }

  return {
    cells: regional.map((row, r) =>
      row.map((value, c) => {
        const why = reason[r]![c] ?? null;
        return why === null ? { value, suppressed: false, reason: null } : { value: null, suppressed: true, reason: why };
      }),
    ),
    rowTotals,
    columnTotals,
    threshold: base.threshold,
  };
}

/** Values of the LP variables at one feasible point. */
type Point = ReadonlyMap<string, number>;

/**
 * The first candidate, not yet verified, whose joint range is too narrow. A
 * candidate that takes values MIN_RANGE apart across the points already found
 * is safe without a solve; each solve adds its optimum to `points`.
 */
function firstUnsafe(
  highs: Highs,
  model: JointModel,
  candidates: readonly JointCell[],
  verified: Set<string>,
  points: Point[],
  regional: readonly (readonly number[])[],
): JointCell | undefined {
  const wide = (min: number, max: number): boolean => max - min >= MIN_RANGE - RANGE_TOLERANCE;
  for (const cell of candidates) {
    const name = variable(cell);
    if (verified.has(name)) continue;
    // A point from before regional cell p was suppressed had y_p = R[p].
    const fallback = cell.table === 'regional' ? regional[cell.row]![cell.column]! : Number.NaN;
    const seen = points.map((point) => point.get(name) ?? fallback);
    if (seen.length > 0 && wide(Math.min(...seen), Math.max(...seen))) {
      verified.add(name);
      continue;
    }
    const { range, found } = model.range(highs, name);
    points.push(...found);
    if (!wide(range.min, range.max)) return cell;
    verified.add(name);
  }
  return undefined;
}

/** The LP variable of a suppressed cell. */
function variable(cell: JointCell): string {
  return cell.table === 'regional' ? `y_${cell.row}_${cell.column}` : `x_${cell.table}_${cell.row}_${cell.column}`;
}

function label(table: PublishedMunicipalTable): string {
  return `municipality ${table.municipalityCode}`;
}

function describe(cell: JointCell, municipal: readonly PublishedMunicipalTable[]): string {
  const owner = cell.table === 'regional' ? 'the regional table' : label(municipal[cell.table]!);
  return `cell (${cell.row}, ${cell.column}) of ${owner}`;
}

/** Cell (r, c) of a published table whose shape has been checked: null when suppressed. */
function at(table: PublishedTable, r: number, c: number): number | null {
  return table.cells[r]![c] ?? null;
}

function suppressedCells(cells: readonly (readonly (number | null)[])[]): [number, number][] {
  return cells.flatMap((row, r) => row.flatMap((value, c) => (value === null ? [[r, c] as [number, number]] : [])));
}

/**
 * The joint LP of one publication, in CPLEX LP text (as disclosure-control.ts
 * writes its own): the constraints are built once per round and only the
 * objective changes from cell to cell.
 */
class JointModel {
  private readonly constraints: string;

  constructor(regional: PublishedTable, municipal: readonly PublishedMunicipalTable[]) {
    const rows = regional.cells.length;
    const columns = regional.cells[0]!.length;
    const lines: string[] = [];
    /** A line with a published total: its suppressed cells add up to the total minus its published cells. */
    const line = (name: string, total: number | null, values: (number | null)[], names: string[]): void => {
      const hidden = names.filter((_, k) => values[k] === null);
      if (total === null || hidden.length === 0) return;
      const rhs = total - values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
      lines.push(` ${name}: ${hidden.join(' + ')} = ${rhs}`);
    };
    const linesOf = (tag: string, table: PublishedTable, name: (r: number, c: number) => string): void => {
      for (let r = 0; r < rows; r++) {
        const cs = Array.from({ length: columns }, (_, c) => c);
        line(`${tag}_row_${r}`, table.rowTotals[r] ?? null, cs.map((c) => at(table, r, c)), cs.map((c) => name(r, c)));
      }
      for (let c = 0; c < columns; c++) {
        const rs = Array.from({ length: rows }, (_, r) => r);
        line(`${tag}_col_${c}`, table.columnTotals[c] ?? null, rs.map((r) => at(table, r, c)), rs.map((r) => name(r, c)));
      }
    };
    municipal.forEach((table, m) => linesOf(`m${m}`, table, (row, column) => variable({ table: m, row, column })));
    linesOf('r', regional, (row, column) => variable({ table: 'regional', row, column }));
    // The identity R = Σ_m M_m at each position, with the published values moved to the right.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const xs = municipal.flatMap((table, m) => (at(table, r, c) === null ? [variable({ table: m, row: r, column: c })] : []));
        const known = municipal.reduce((sum, table) => sum + (at(table, r, c) ?? 0), 0);
        const y = at(regional, r, c);
        if (y !== null && xs.length > 0) lines.push(` link_${r}_${c}: ${xs.join(' + ')} = ${y - known}`);
        if (y === null) {
          const minus = xs.map((x) => ` - ${x}`).join('');
          lines.push(` link_${r}_${c}: ${variable({ table: 'regional', row: r, column: c })}${minus} = ${known}`);
        }
      }
    }
    this.constraints = ['Subject To', ...lines, 'End', ''].join('\n');
  }

  /** Minimises and maximises variable `name`; `found` holds the optima as points of the feasible set. */
  range(highs: Highs, name: string): { range: FeasibleRange; found: Point[] } {
    const solve = (sense: 'Minimize' | 'Maximize') =>
      highs.solve(`${sense}\n obj: ${name}\n${this.constraints}`, { output_flag: false });
    const pointOf = (solution: ReturnType<typeof solve>): Point =>
      new Map(Object.entries(solution.Columns).map(([column, value]) => [column, 'Primal' in value ? value.Primal : NaN]));
    const low = solve('Minimize');
    if (low.Status !== 'Optimal') {
      // Every variable is ≥ 0, so the minimum is bounded: this is a contradiction in the published values.
      throw new Error(`HiGHS could not minimise ${name}: ${low.Status} (do the published tables contradict each other?)`);
    }
    const high = solve('Maximize');
    // The minimum found a feasible point, so "infeasible or unbounded" can only mean unbounded.
    if (high.Status === 'Unbounded' || high.Status === 'Primal infeasible or unbounded') {
      return { range: { min: low.ObjectiveValue, max: Infinity }, found: [pointOf(low)] };
    }
    if (high.Status !== 'Optimal') throw new Error(`HiGHS could not maximise ${name}: ${high.Status}`);
    return { range: { min: low.ObjectiveValue, max: high.ObjectiveValue }, found: [pointOf(low), pointOf(high)] };
  }
}

/** Shape and values of a published table: `rows` × `columns`, null or non-negative integers. */
function assertPublished(table: PublishedTable, rows: number, columns: number, what: string): void {
  const valid = (v: number | null): boolean => v === null || (Number.isSafeInteger(v) && v >= 0);
  if (table.cells.length !== rows || table.cells.some((row) => row.length !== columns)) {
    throw new RangeError(`${what} must have ${rows} × ${columns} cells`);
  }
  if (table.rowTotals.length !== rows || table.columnTotals.length !== columns) {
    throw new RangeError(`${what} must have ${rows} row totals and ${columns} column totals`);
  }
  if (![...table.cells.flat(), ...table.rowTotals, ...table.columnTotals].every(valid)) {
    throw new RangeError(`${what} has a value that is neither null nor a non-negative integer`);
  }
}

/**
 * The municipal tables fit the regional one: same shape, and no published
 * values that the identity R = Σ_m M_m or a published total rules out at once
 * (subtler contradictions make the LP infeasible, which throws too).
 */
function assertMunicipal(regional: readonly (readonly number[])[], municipal: readonly PublishedMunicipalTable[]): void {
  const rows = regional.length;
  const columns = regional[0]!.length;
  for (const table of municipal) {
    assertPublished(table, rows, columns, label(table));
    const check = (total: number | null, values: (number | null)[], where: string): void => {
      const known = values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
      const open = values.includes(null);
      if (total !== null && (known > total || (!open && known !== total))) {
        throw new RangeError(`${label(table)}: the published cells of ${where} do not add up to its total ${total}`);
      }
    };
    table.cells.forEach((row, r) => check(table.rowTotals[r] ?? null, row, `row ${r}`));
    table.columnTotals.forEach((total, c) => check(total, table.cells.map((_, r) => at(table, r, c)), `column ${c}`));
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const values = municipal.map((table) => at(table, r, c));
      const known = values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
      const value = regional[r]![c]!;
      if (known > value || (!values.includes(null) && known !== value)) {
        throw new RangeError(`the published municipal cells (${r}, ${c}) do not add up to the regional cell ${value}`);
      }
    }
  }
}
