import type { Representation } from './shard-key';
import { splitRepresentations, type SplitBatch } from './split-representations';

const known = new Set(['0126', '0127', '0128']);

function person(id: string, municipalityCode?: unknown): Representation {
  return municipalityCode === undefined ? { __typename: 'Person', id } : { __typename: 'Person', id, municipalityCode };
}

function municipality(code: unknown): Representation {
  return { __typename: 'Municipality', code };
}

/** What each shard was sent, as `code -> [index, id]` pairs, for compact expectations. */
function summary({ batches }: SplitBatch): Record<string, [number, unknown][]> {
  return Object.fromEntries(batches.map((b) => [b.code, b.indices.map((index, j) => [index, b.representations[j]?.id ?? b.representations[j]?.code])]));
}

describe('splitRepresentations', () => {
  describe('grouping by municipality', () => {
    it.each<[string, Representation[], Record<string, [number, unknown][]>]>([
      [
        'a single shard',
        [person('a', '0126'), person('b', '0126')],
        {
          '0126': [
            [0, 'a'],
            [1, 'b'],
          ],
        },
      ],
      [
        'interleaved codes',
        [person('a', '0126'), person('b', '0127'), person('c', '0126'), person('d', '0128'), person('e', '0127')],
        {
          '0126': [
            [0, 'a'],
            [2, 'c'],
          ],
          '0127': [
            [1, 'b'],
            [4, 'e'],
          ],
          '0128': [[3, 'd']],
        },
      ],
      [
        'codes arriving in reverse',
        [person('a', '0128'), person('b', '0127'), person('c', '0126'), person('d', '0128')],
        {
          '0128': [
            [0, 'a'],
            [3, 'd'],
          ],
          '0127': [[1, 'b']],
          '0126': [[2, 'c']],
        },
      ],
    ])('keeps each shard’s part in original order: %s', (_name, representations, expected) => {
      const split = splitRepresentations(representations, known);
      expect(summary(split)).toEqual(expected);
      expect(split.unknown).toEqual([]);
    });

    it('orders batches by the first appearance of their code', () => {
      const split = splitRepresentations([person('a', '0127'), person('b', '0126'), person('c', '0127')], known);
      expect(split.batches.map((b) => b.code)).toEqual(['0127', '0126']);
    });

    it('sends representations through unchanged (same objects)', () => {
      const representations = [person('a', '0126'), person('b', '0127'), person('c', '0126')];
      const split = splitRepresentations(representations, known);
      const sent = split.batches.flatMap((b) => b.representations);
      expect(sent).toHaveLength(3);
      expect(sent[0]).toBe(representations[0]);
      expect(sent[1]).toBe(representations[2]);
      expect(sent[2]).toBe(representations[1]);
    });

    it('makes one batch per code and no more', () => {
      const split = splitRepresentations([person('a', '0126'), person('b', '0126'), person('c', '0127')], known);
      expect(split.batches).toHaveLength(2);
      for (const batch of split.batches) expect(batch.indices).toHaveLength(batch.representations.length);
    });
  });

  describe('Municipality keyed by code', () => {
    it.each<[string, Representation[], Record<string, [number, unknown][]>]>([
      ['alone', [municipality('0127')], { '0127': [[0, '0127']] }],
      [
        'mixed with persons',
        [person('a', '0126'), municipality('0126'), municipality('0128')],
        {
          '0126': [
            [0, 'a'],
            [1, '0126'],
          ],
          '0128': [[2, '0128']],
        },
      ],
    ])('routes a Municipality by its `code`: %s', (_name, representations, expected) => {
      expect(summary(splitRepresentations(representations, known))).toEqual(expected);
    });

    it('ignores `municipalityCode` on a Municipality', () => {
      const split = splitRepresentations([{ __typename: 'Municipality', municipalityCode: '0126' }], known);
      expect(split.batches).toEqual([]);
      expect(split.unknown).toEqual([{ index: 0, code: '(none)' }]);
    });

    it('ignores `code` on any other type', () => {
      const split = splitRepresentations([{ __typename: 'Person', id: 'a', code: '0126' }], known);
      expect(split.batches).toEqual([]);
      expect(split.unknown).toEqual([{ index: 0, code: '(none)' }]);
    });
  });

  describe('codes that name no known municipality', () => {
    it.each<[string, Representation[], SplitBatch['unknown'], Record<string, [number, unknown][]>]>([
      [
        'an unknown code',
        [person('a', '0126'), person('b', '9999'), person('c', '0126')],
        [{ index: 1, code: '9999' }],
        {
          '0126': [
            [0, 'a'],
            [2, 'c'],
          ],
        },
      ],
      ['a missing code', [person('a'), person('b', '0127')], [{ index: 0, code: '(none)' }], { '0127': [[1, 'b']] }],
      ['a non-string code', [person('a', 126), person('b', '0127')], [{ index: 0, code: '(none)' }], { '0127': [[1, 'b']] }],
      ['an unknown Municipality', [municipality('0127'), municipality('0000')], [{ index: 1, code: '0000' }], { '0127': [[0, '0127']] }],
      [
        'several, kept in order',
        [person('a', 'x'), person('b', '0128'), person('c'), person('d', 'y')],
        [
          { index: 0, code: 'x' },
          { index: 2, code: '(none)' },
          { index: 3, code: 'y' },
        ],
        { '0128': [[1, 'b']] },
      ],
    ])('sets aside %s with its index', (_name, representations, unknown, batches) => {
      const split = splitRepresentations(representations, known);
      expect(split.unknown).toEqual(unknown);
      expect(summary(split)).toEqual(batches);
    });

    it('treats every code as unknown when no municipality is known', () => {
      const split = splitRepresentations([person('a', '0126')], new Set());
      expect(split).toEqual({ batches: [], unknown: [{ index: 0, code: '0126' }] });
    });
  });

  describe('empty batch', () => {
    it('returns no batches and nothing unknown', () => {
      expect(splitRepresentations([], known)).toEqual({ batches: [], unknown: [] });
    });
  });
});
