import { loadSolver } from '@sodertorn/solver';
import { possibleCounts, QUARTERS, STATISTICS_DATASETS, type CountDataset } from '@sodertorn/statistics';

/**
 * The attacker of issue #20, as an integer programme (HiGHS): the true counts
 * of every cell of every published count table, regional and municipal, of
 * every year and release, are unknowns; everything the attacker knows is a
 * constraint on them:
 *
 * - each published value, through the published perturbation table: the true
 *   count lies in possibleCounts(value) (the attacker knows the method, not the
 *   cell keys); totals likewise, as sums of their cells;
 * - the regional table is the sum of the municipal ones;
 * - the three intake datasets count the same people, and so do the two active
 *   datasets: their quarter totals are equal;
 * - the flow of active participants per gender: active(q) = active(q−1) −
 *   exits(q−1) + intakes(q), with the exits by gender unknown but ≥ 0, adding
 *   up to the exits by outcome and never more than the active; intakes(q) ≤
 *   active(q) per gender and per age band; nothing counts after the last
 *   quarter that has begun;
 * - an insider knows their own municipality's true counts exactly;
 * - two releases around one new intake: the second's counts are the first's
 *   plus one person of unknown gender, age band and referral source, in the
 *   intake quarter and as active from then on, in the known municipality.
 *
 * It answers which small true counts (1..threshold−1) it can pin or bound into
 * 1..threshold−1, and which of the new participant's attributes it can infer
 * with certainty. Sound: a count is declared safe only when a feasible integer
 * solution (a whole alternative world consistent with everything published)
 * puts it at 0 or at the threshold or above.
 */

/** One published table as the attacker reads it: null where nothing is published. */
export interface AttackedTable {
  release: number;
  municipalityCode: string;
  dataset: string;
  year: number;
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

export interface NewIntake {
  municipalityCode: string;
  year: number;
  quarter: number;
  /** The true attributes, only to say which inference would be the right one. */
  gender: string;
  ageBand: string;
  referralSource: string;
}

export interface Attack {
  tables: readonly AttackedTable[];
  /** The municipalities the regional tables cover (region code ALL). */
  municipalities: readonly string[];
  threshold: number;
  /** The last quarter that had begun when the tables were counted: flows hold up to it, nothing counts after it. */
  lastQuarter: { year: number; quarter: number };
  /** The true counts of a block's cells (quarters × categories), for the truth and the insider. */
  truth: (release: number, municipalityCode: string, block: string, year: number) => number[][];
  /**
   * Every true count a published value could stand for; by default the cell key
   * method's (possibleCounts). A strawman method passes its own.
   */
  possible?: (published: number) => { min: number; max: number };
  /** Stop after this many disclosures, checking one by one: to show a strawman falls without checking all of it. */
  stopAfter?: number;
  /** A municipality whose analyst knows its exact counts. */
  insider?: string;
  /** Release 2 is release 1 plus this one participant. */
  newIntake?: NewIntake;
}

export interface AttackResult {
  /** True counts of 1..threshold−1 checked (cells and published totals). */
  checked: number;
  /** Those the attacker pins or bounds into 1..threshold−1, with the range. */
  disclosed: { what: string; truth: number; min: number; max: number }[];
  /** Attributes of the new participant inferred with certainty. */
  inferred: string[];
  solves: number;
}

const COUNT_DATASETS = STATISTICS_DATASETS.filter((d): d is CountDataset => d.kind === 'count');
const blockOf = (dataset: string) => COUNT_DATASETS.find((d) => d.name === dataset)!.block;
const categoriesOf = (block: string) => COUNT_DATASETS.find((d) => d.block === block)!.categories;
const REGION = 'ALL';

class Model {
  readonly bounds = new Map<string, { min: number; max: number }>();
  readonly constraints: string[] = [];
  readonly binaries = new Set<string>();

  private readonly short = new Map<string, string>();

  /** The column of the variable with this name (short, since HiGHS parses the programme's text for every solve). */
  variable(name: string, min = 0, max = Infinity): string {
    let column = this.short.get(name);
    if (!column) {
      column = `v${this.short.size}`;
      this.short.set(name, column);
      this.bounds.set(column, { min, max });
    }
    return column;
  }

  /** min ≤ Σ terms ≤ max, terms as [coefficient, variable]. */
  constrain(terms: readonly [number, string][], min: number, max: number): void {
    if (terms.length === 0) return;
    if (terms.length === 1 && terms[0]![0] === 1) {
      // One variable: a bound, which HiGHS takes far faster than a row.
      const bound = this.bounds.get(terms[0]![1])!;
      this.bounds.set(terms[0]![1], { min: Math.max(bound.min, min), max: Math.min(bound.max, max) });
      return;
    }
    const expression = linear(terms);
    if (min === max) this.constraints.push(` ${expression} = ${min}`);
    else {
      if (Number.isFinite(min)) this.constraints.push(` ${expression} >= ${min}`);
      if (Number.isFinite(max)) this.constraints.push(` ${expression} <= ${max}`);
    }
  }

  /** The programme in CPLEX LP format; `integer` false gives its linear relaxation. */
  program(sense: 'Minimize' | 'Maximize', objective: readonly [number, string][], integer: boolean): string {
    const obj = linear(objective);
    const bounds = [...this.bounds].map(([v, { min, max }]) => ` ${min} <= ${v} <= ${Number.isFinite(max) ? max : '+inf'}`);
    const integers = [...this.bounds.keys()].filter((v) => !this.binaries.has(v));
    return [
      sense,
      ` obj: ${obj || '0 ' + [...this.bounds.keys()][0]}`,
      'Subject To',
      ...this.constraints,
      'Bounds',
      ...bounds,
      ...(integer ? ['General', ` ${integers.join(' ')}`] : []),
      ...(integer && this.binaries.size ? ['Binary', ` ${[...this.binaries].join(' ')}`] : []),
      'End',
      '',
    ].join('\n');
  }
}

/** `a + 2 b - c` in the LP format. */
function linear(terms: readonly [number, string][]): string {
  return terms.map(([c, v], i) => `${c < 0 ? '-' : i === 0 ? '' : '+'}${Math.abs(c) === 1 ? '' : Math.abs(c)} ${v}`).join(' ');
}

const cellName = (release: number, m: string, block: string, year: number, q: number, c: number) =>
  `x_${release}_${m}_${block.replace(/[^a-z]/g, '')}_${year}_${q}_${c}`;

/** Runs the attack; see the module comment. */
export async function attack(setting: Attack): Promise<AttackResult> {
  const highs = await loadSolver();
  const { tables, threshold, lastQuarter } = setting;
  const model = new Model();
  const releases = [...new Set(tables.map((t) => t.release))].sort();
  const years = [...new Set(tables.map((t) => t.year))].sort();
  const places = [REGION, ...setting.municipalities];
  const blocks = [...new Set(tables.map((t) => blockOf(t.dataset)))];
  const begun = (year: number, q: number) => year < lastQuarter.year || (year === lastQuarter.year && q <= lastQuarter.quarter);
  const x = (r: number, m: string, block: string, year: number, q: number, c: number) => model.variable(cellName(r, m, block, year, q, c));
  const row = (r: number, m: string, block: string, year: number, q: number): [number, string][] =>
    categoriesOf(block).map((_, c) => [1, x(r, m, block, year, q, c)]);

  // Published values.
  for (const t of tables) {
    const block = blockOf(t.dataset);
    const width = categoriesOf(block).length;
    const known = (terms: [number, string][], value: number | null) => {
      if (value === null) return;
      const { min, max } = setting.possible ? setting.possible(value) : possibleCounts(value, threshold);
      model.constrain(terms, min, max);
    };
    QUARTERS.forEach((q, i) => {
      for (let c = 0; c < width; c++) known([[1, x(t.release, t.municipalityCode, block, t.year, q, c)]], t.cells[i]![c]!);
      known(row(t.release, t.municipalityCode, block, t.year, q), t.rowTotals[i]!);
    });
    for (let c = 0; c < width; c++)
      known(
        QUARTERS.map((q) => [1, x(t.release, t.municipalityCode, block, t.year, q, c)]),
        t.columnTotals[c]!,
      );
    known(
      QUARTERS.flatMap((q) => row(t.release, t.municipalityCode, block, t.year, q)),
      t.total,
    );
  }

  for (const r of releases) {
    for (const year of years) {
      for (const block of blocks) {
        for (const q of QUARTERS) {
          categoriesOf(block).forEach((_, c) => {
            // The region is the sum of its municipalities.
            model.constrain(
              [[1, x(r, REGION, block, year, q, c)], ...setting.municipalities.map((m): [number, string] => [-1, x(r, m, block, year, q, c)])],
              0,
              0,
            );
            // Nothing is counted in a quarter that has not begun.
            if (!begun(year, q)) for (const m of places) model.constrain([[1, x(r, m, block, year, q, c)]], 0, 0);
          });
        }
      }
      for (const m of places) {
        for (const q of QUARTERS) {
          const sameTotal = (a: string, b: string) =>
            blocks.includes(a) &&
            blocks.includes(b) &&
            model.constrain([...row(r, m, a, year, q), ...row(r, m, b, year, q).map(([, v]): [number, string] => [-1, v])], 0, 0);
          sameTotal('intakes.referral_source', 'intakes.gender');
          sameTotal('intakes.age_band', 'intakes.gender');
          sameTotal('active.age_band', 'active.gender');
          for (const [intakes, active] of [
            ['intakes.gender', 'active.gender'],
            ['intakes.age_band', 'active.age_band'],
          ] as const) {
            if (!blocks.includes(intakes) || !blocks.includes(active)) continue;
            categoriesOf(active).forEach((_, c) =>
              model.constrain(
                [
                  [1, x(r, m, active, year, q, c)],
                  [-1, x(r, m, intakes, year, q, c)],
                ],
                0,
                Infinity,
              ),
            );
          }
          if (!begun(year, q) || !['active.gender', 'exits.exit_outcome'].every((b) => blocks.includes(b))) continue;
          // Exits by gender (never published): at most the active, adding up to the exits by outcome.
          const exits = categoriesOf('active.gender').map((_, g) => model.variable(`e_${r}_${m}_${year}_${q}_${g}`));
          exits.forEach((e, g) =>
            model.constrain(
              [
                [1, x(r, m, 'active.gender', year, q, g)],
                [-1, e],
              ],
              0,
              Infinity,
            ),
          );
          model.constrain(
            [...exits.map((e): [number, string] => [1, e]), ...row(r, m, 'exits.exit_outcome', year, q).map(([, v]): [number, string] => [-1, v])],
            0,
            0,
          );
          // The flow into the next quarter (into the next year's first, if published).
          const next = q < 4 ? { year, q: q + 1 } : { year: year + 1, q: 1 };
          if (!begun(next.year, next.q) || !years.includes(next.year) || !blocks.includes('intakes.gender')) continue;
          exits.forEach((e, g) =>
            model.constrain(
              [
                [1, x(r, m, 'active.gender', next.year, next.q, g)],
                [-1, x(r, m, 'active.gender', year, q, g)],
                [1, e],
                [-1, x(r, m, 'intakes.gender', next.year, next.q, g)],
              ],
              0,
              0,
            ),
          );
        }
      }
    }
  }

  // The insider's own counts.
  if (setting.insider) {
    for (const r of releases)
      for (const year of years)
        for (const block of blocks) {
          const truth = setting.truth(r, setting.insider, block, year);
          QUARTERS.forEach((q, i) => truth[i]!.forEach((n, c) => model.constrain([[1, x(r, setting.insider!, block, year, q, c)]], n, n)));
        }
  }

  // Two releases around one new intake.
  const choices = new Map<string, string[]>();
  if (setting.newIntake) {
    const n = setting.newIntake;
    const choose = (block: string) => {
      const zs = categoriesOf(block).map((_, c) => model.variable(`z_${block.replace(/[^a-z]/g, '')}_${c}`, 0, 1));
      zs.forEach((z) => model.binaries.add(z));
      model.constrain(
        zs.map((z) => [1, z]),
        1,
        1,
      );
      choices.set(block, zs);
      return zs;
    };
    const z: Record<string, string[]> = {
      'intakes.gender': choose('intakes.gender'),
      'intakes.age_band': choose('intakes.age_band'),
      'intakes.referral_source': choose('intakes.referral_source'),
    };
    z['active.gender'] = z['intakes.gender']!;
    z['active.age_band'] = z['intakes.age_band']!;
    const from = (year: number, q: number) => year > n.year || (year === n.year && q >= n.quarter);
    for (const year of years)
      for (const block of blocks)
        for (const m of places)
          for (const q of QUARTERS) {
            categoriesOf(block).forEach((_, c) => {
              const changes =
                (m === REGION || m === n.municipalityCode) &&
                ((block.startsWith('intakes.') && year === n.year && q === n.quarter) || (block.startsWith('active.') && from(year, q) && begun(year, q)));
              const terms: [number, string][] = [
                [1, x(2, m, block, year, q, c)],
                [-1, x(1, m, block, year, q, c)],
              ];
              if (changes) terms.push([-1, z[block]![c]!]);
              model.constrain(terms, 0, 0);
            });
          }
  }

  let solves = 0;
  /**
   * The optimum and a point where it is reached. The linear relaxation is tried
   * first (fast); its point is a valid integer world only when every value is
   * whole, else the integer programme is solved. `bound` is the relaxation's
   * optimum, a bound on the integer one either way.
   */
  const solve = (sense: 'Minimize' | 'Maximize', objective: [number, string][], integer = false) => {
    solves += 1;
    const solution = highs.solve(model.program(sense, objective, integer), { output_flag: false, ...(integer ? { mip_rel_gap: 0 } : {}) } as never);
    if (solution.Status !== 'Optimal') throw new Error(`the attack's programme is ${solution.Status}: do the published tables contradict the links?`);
    const values = Object.entries(solution.Columns).map(([name, column]) => [name, (column as { Primal: number }).Primal] as const);
    const whole = values.every(([, v]) => Math.abs(v - Math.round(v)) < 1e-6);
    const point = new Map(values.map(([name, v]) => [name, Math.round(v)]));
    return { value: solution.ObjectiveValue, whole, at: (v: string) => point.get(v) ?? 0 };
  };
  /** An integer optimum: the relaxation's when its point is whole, else the integer programme's. */
  const solveWhole = (sense: 'Minimize' | 'Maximize', objective: [number, string][]) => {
    const relaxed = solve(sense, objective);
    return relaxed.whole ? { ...relaxed, bound: relaxed.value } : { ...solve(sense, objective, true), bound: relaxed.value };
  };

  // Targets: every small true count, cell or published total, outside the insider's own municipality.
  const targets: { what: string; terms: [number, string][]; truth: number }[] = [];
  for (const t of tables) {
    if (t.municipalityCode === setting.insider) continue;
    const block = blockOf(t.dataset);
    const truth = setting.truth(t.release, t.municipalityCode, block, t.year);
    const label = (part: string) => `release ${t.release} ${t.municipalityCode} ${t.dataset} ${t.year} ${part}`;
    const add = (what: string, terms: [number, string][], n: number) => n > 0 && n < threshold && targets.push({ what: label(what), terms, truth: n });
    QUARTERS.forEach((q, i) => {
      categoriesOf(block).forEach((category, c) => add(`Q${q} ${category}`, [[1, x(t.release, t.municipalityCode, block, t.year, q, c)]], truth[i]![c]!));
      if (t.rowTotals[i] !== null)
        add(
          `Q${q} TOTAL`,
          row(t.release, t.municipalityCode, block, t.year, q),
          truth[i]!.reduce((a, b) => a + b, 0),
        );
    });
    categoriesOf(block).forEach((category, c) => {
      if (t.columnTotals[c] !== null)
        add(
          `year ${category}`,
          QUARTERS.map((q) => [1, x(t.release, t.municipalityCode, block, t.year, q, c)]),
          truth.reduce((a, r) => a + r[c]!, 0),
        );
    });
    if (t.total !== null)
      add(
        'year TOTAL',
        QUARTERS.flatMap((q) => row(t.release, t.municipalityCode, block, t.year, q)),
        truth.flat().reduce((a, b) => a + b, 0),
      );
  }
  const unique = [...new Map(targets.map((t) => [t.terms.map(([, v]) => v).join('+'), t])).values()];

  // Witnesses first: alternative worlds that put many small counts at 0 (or at the threshold and above) at once.
  // A strawman (stopAfter) is only to be shown to fall: straight to the checks one by one.
  let open = setting.stopAfter === undefined ? unique : [];
  const valueIn = (at: (v: string) => number, terms: [number, string][]) => terms.reduce((s, [c, v]) => s + c * at(v), 0);
  for (const sense of ['Minimize', 'Minimize', 'Maximize', 'Maximize'] as const) {
    if (open.length === 0) break;
    const { at } = solveWhole(sense, mergeTerms(open.flatMap((t) => t.terms)));
    open = open.filter((t) => {
      const v = valueIn(at, t.terms);
      return v > 0 && v < threshold;
    });
  }
  // The rest one by one: the least and the most each can be.
  const disclosed: AttackResult['disclosed'] = [];
  for (const t of setting.stopAfter === undefined ? open : unique) {
    if (setting.stopAfter !== undefined && disclosed.length >= setting.stopAfter) break;
    // The relaxation's optima bound the integer ones: a relaxed minimum of 1 or more is a certain lower bound.
    const low = solve('Minimize', t.terms);
    const min = low.value >= 1 - 1e-6 ? Math.ceil(low.value - 1e-6) : Math.round(low.whole ? low.value : solve('Minimize', t.terms, true).value);
    if (min < 1) continue;
    const high = solve('Maximize', t.terms);
    const max = high.value < threshold ? Math.floor(high.value + 1e-6) : Math.round(high.whole ? high.value : solve('Maximize', t.terms, true).value);
    if (max < threshold) disclosed.push({ what: t.what, truth: t.truth, min, max });
  }

  // Each of the new participant's attributes: certain if no world gives them another value.
  const inferred: string[] = [];
  if (setting.newIntake) {
    const n = setting.newIntake;
    for (const [block, value] of [
      ['intakes.gender', n.gender],
      ['intakes.age_band', n.ageBand],
      ['intakes.referral_source', n.referralSource],
    ] as const) {
      const z = choices.get(block)![categoriesOf(block).indexOf(value)]!;
      const other = solveWhole('Minimize', [[1, z]]);
      if (other.value > 0.5) inferred.push(`${block} = ${value}`);
    }
  }
  return { checked: unique.length, disclosed, inferred, solves };
}

function mergeTerms(terms: readonly [number, string][]): [number, string][] {
  const merged = new Map<string, number>();
  for (const [c, v] of terms) merged.set(v, (merged.get(v) ?? 0) + c);
  return [...merged].map(([v, c]) => [c, v]);
}
