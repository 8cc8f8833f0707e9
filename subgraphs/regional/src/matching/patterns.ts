/**
 * Packing patterns: which household sizes one unit hosts together.
 *
 * A pattern is a multiset of household sizes whose sum fits the unit's free
 * places, written as a map size → count. The solver's LP chooses a pattern per
 * unit and then places households into its slots. That LP is far tighter than
 * one with a single "Σ sizes ≤ places" row, which happily fills a 3-place
 * unit with one household of 2 and half of another.
 */
export type Pattern = ReadonlyMap<number, number>;

/** Stable text form of a pattern, for deduplication: "3x1+1x2" etc. */
export function patternKey(pattern: Pattern): string {
  return [...pattern]
    .sort(([a], [b]) => a - b)
    .map(([size, count]) => `${count}x${size}`)
    .join('+');
}

/**
 * Every maximal pattern over `sizes` for a unit with `capacity` places: no
 * further household of a listed size would fit. Non-maximal patterns are never
 * needed, since a slot may stay empty. Returns undefined when there are more
 * than `limit`, or when finding them takes too long (large units with many
 * sizes), so callers can fall back.
 */
export function maximalPatterns(sizes: readonly number[], capacity: number, limit: number): Pattern[] | undefined {
  const sorted = [...new Set(sizes)].filter((size) => size <= capacity).sort((a, b) => b - a);
  if (sorted.length === 0) return [];
  const smallest = sorted[sorted.length - 1]!;
  const found: Pattern[] = [];
  const counts = new Map<number, number>();
  let overflow = false;
  let budget = limit * 64;
  const visit = (index: number, room: number): void => {
    if (overflow) return;
    if (--budget < 0) {
      overflow = true;
      return;
    }
    if (index === sorted.length) {
      if (room < smallest && counts.size > 0) {
        if (found.length === limit) overflow = true;
        else found.push(new Map(counts));
      }
      return;
    }
    const size = sorted[index]!;
    for (let count = Math.floor(room / size); count >= 0; count--) {
      if (count > 0) counts.set(size, count);
      else counts.delete(size);
      visit(index + 1, room - count * size);
    }
    counts.delete(size);
  };
  visit(0, capacity);
  return overflow ? undefined : found;
}

/**
 * The pattern of highest total value when a slot for a household of size s is
 * worth value(s): an unbounded knapsack over sizes, solved exactly by dynamic
 * programming over the (small) number of places.
 */
export function bestPattern(sizes: readonly number[], value: (size: number) => number, capacity: number): { value: number; pattern: Pattern } {
  const usable = [...new Set(sizes)].filter((size) => size <= capacity && value(size) > 0);
  const best = new Float64Array(capacity + 1);
  const choice = new Int32Array(capacity + 1);
  for (let room = 1; room <= capacity; room++) {
    best[room] = best[room - 1]!;
    choice[room] = 0;
    for (const size of usable) {
      if (size <= room && best[room - size]! + value(size) > best[room]!) {
        best[room] = best[room - size]! + value(size);
        choice[room] = size;
      }
    }
  }
  const pattern = new Map<number, number>();
  for (let room = capacity; room > 0;) {
    const size = choice[room]!;
    if (size === 0) room--;
    else {
      pattern.set(size, (pattern.get(size) ?? 0) + 1);
      room -= size;
    }
  }
  return { value: best[capacity]!, pattern };
}
