import { bestPattern, maximalPatterns, patternKey, type Pattern } from './patterns';

/** Every multiset of `sizes` that fits `capacity`, by brute force. */
function allPatterns(sizes: number[], capacity: number): Map<number, number>[] {
  if (sizes.length === 0) return [new Map()];
  const [size, ...rest] = sizes;
  const out: Map<number, number>[] = [];
  for (let count = 0; count * size! <= capacity; count++) {
    for (const tail of allPatterns(rest, capacity - count * size!)) out.push(count > 0 ? new Map([...tail, [size!, count]]) : tail);
  }
  return out;
}

const used = (pattern: Pattern) => [...pattern].reduce((sum, [size, count]) => sum + size * count, 0);

describe('Packing patterns', () => {
  const cases: [number[], number][] = [
    [[1], 3],
    [[2], 3],
    [[1, 2], 4],
    [[2, 3], 7],
    [[1, 2, 3, 4, 5, 6], 6],
    [[2, 5], 9],
    [[3, 4], 10],
    [[7], 6],
  ];

  it.each(cases)('maximalPatterns(%j, %i) finds exactly the patterns to which no household fits any more', (sizes, capacity) => {
    const expected = allPatterns(sizes, capacity)
      .filter((p) => p.size > 0 && sizes.every((s) => used(p) + s > capacity))
      .map(patternKey)
      .sort();
    expect(maximalPatterns(sizes, capacity, 1000)!.map(patternKey).sort()).toEqual(expected);
  });

  it('gives up rather than enumerate too many patterns', () => {
    expect(maximalPatterns([1, 2, 3, 4, 5, 6], 40, 50)).toBeUndefined();
  });

  it.each(cases)('bestPattern(%j, %i) is the most valuable pattern', (sizes, capacity) => {
    const value = (size: number) => [0, 1.5, 2.9, 4.1, 6.2, 7, 8.8, 9][size]!;
    const best = Math.max(0, ...allPatterns(sizes, capacity).map((p) => [...p].reduce((sum, [size, count]) => sum + value(size) * count, 0)));
    const found = bestPattern(sizes, value, capacity);
    expect(found.value).toBeCloseTo(best, 9);
    expect(used(found.pattern)).toBeLessThanOrEqual(capacity);
  });
});
