import type { GraphQLFormattedError } from 'graphql';
import { mergeEntities, type ShardOutcome } from './merge-entities';
import type { ShardBatch } from './split-representations';

/** A shard's part of a batch; representations are irrelevant to merging. */
function batch(code: string, indices: number[]): ShardBatch {
  return { code, indices, representations: indices.map((i) => ({ __typename: 'Person', id: `p${i}`, municipalityCode: code })) };
}

function answered(code: string, indices: number[], errors?: GraphQLFormattedError[]): ShardOutcome {
  return { batch: batch(code, indices), ok: true, entities: indices.map((i) => ({ id: `p${i}`, servedBy: code })), errors };
}

function failed(code: string, indices: number[]): ShardOutcome {
  return {
    batch: batch(code, indices),
    ok: false,
    error: (index) => ({
      message: `Municipality ${code} is down`,
      path: ['_entities', index],
      extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: code },
    }),
  };
}

const entity = (i: number, code: string) => ({ id: `p${i}`, servedBy: code });

describe('mergeEntities', () => {
  describe('ordering', () => {
    it.each<[string, ShardOutcome[], unknown[]]>([
      ['one shard', [answered('0126', [0, 1])], [entity(0, '0126'), entity(1, '0126')]],
      [
        'interleaved shards',
        [answered('0126', [0, 2, 4]), answered('0127', [1, 3])],
        [entity(0, '0126'), entity(1, '0127'), entity(2, '0126'), entity(3, '0127'), entity(4, '0126')],
      ],
      [
        'shards listed in reverse',
        [answered('0128', [2]), answered('0127', [1]), answered('0126', [0])],
        [entity(0, '0126'), entity(1, '0127'), entity(2, '0128')],
      ],
      ['a position no shard owns stays null', [answered('0126', [0, 2])], [entity(0, '0126'), null, entity(2, '0126')]],
    ])('restores the original order: %s', (_name, outcomes, expected) => {
      expect(mergeEntities(expected.length, outcomes)).toEqual({ entities: expected, errors: [] });
    });

    it('turns an undefined entity into null', () => {
      const outcome: ShardOutcome = { batch: batch('0126', [0, 1]), ok: true, entities: [undefined, { id: 'p1' }] };
      expect(mergeEntities(2, [outcome]).entities).toEqual([null, { id: 'p1' }]);
      expect(mergeEntities(2, [outcome]).entities[0]).toBeNull();
    });

    it('returns an empty result for an empty batch', () => {
      expect(mergeEntities(0, [])).toEqual({ entities: [], errors: [] });
    });
  });

  describe('shard error paths', () => {
    it.each<[string, ShardBatch['indices'], GraphQLFormattedError['path'], GraphQLFormattedError['path']]>([
      ['the first local entity', [3, 5], ['_entities', 0, 'name'], ['_entities', 3, 'name']],
      ['a later local entity', [1, 4, 6], ['_entities', 2, 'address', 'street'], ['_entities', 6, 'address', 'street']],
      ['an entity itself', [2, 7], ['_entities', 1], ['_entities', 7]],
    ])('renumbers `_entities` paths to the original index: %s', (_name, indices, path, expected) => {
      const outcome = answered('0127', indices, [{ message: 'boom', path }]);
      const { errors } = mergeEntities(8, [outcome]);
      expect(errors).toEqual([{ message: 'boom', path: expected, extensions: { municipalityCode: '0127' } }]);
    });

    it('keeps the shard’s own extensions and adds the municipality', () => {
      const outcome = answered('0126', [0], [{ message: 'nope', path: ['_entities', 0, 'ssn'], extensions: { code: 'FORBIDDEN', detail: 1 } }]);
      expect(mergeEntities(1, [outcome]).errors[0]?.extensions).toEqual({ code: 'FORBIDDEN', detail: 1, municipalityCode: '0126' });
    });

    it.each<[string, GraphQLFormattedError['path']]>([
      ['no path', undefined],
      ['a non-`_entities` path', ['_service', 'sdl']],
      ['a non-`_entities` path with an index', ['x', 0]],
      ['a non-numeric index', ['_entities', 'x']],
    ])('keeps an error with %s as it is, tagged', (_name, path) => {
      const error: GraphQLFormattedError = path ? { message: 'odd', path } : { message: 'odd' };
      const { errors, entities } = mergeEntities(2, [answered('0128', [0, 1], [error])]);
      expect(errors).toEqual([{ ...error, extensions: { municipalityCode: '0128' } }]);
      expect(entities).toEqual([entity(0, '0128'), entity(1, '0128')]);
    });

    it('drops the path of an error pointing past the shard’s part', () => {
      const { errors } = mergeEntities(3, [answered('0126', [0, 2], [{ message: 'far', path: ['_entities', 2, 'x'] }])]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.path).toBeUndefined();
      expect(errors[0]?.extensions).toEqual({ municipalityCode: '0126' });
    });
  });

  describe('a failed shard', () => {
    it('leaves null at each of its positions, with one error per position', () => {
      const { entities, errors } = mergeEntities(4, [answered('0126', [0, 2]), failed('0127', [1, 3])]);
      expect(entities).toEqual([entity(0, '0126'), null, entity(2, '0126'), null]);
      expect(errors.map((e) => e.path)).toEqual([
        ['_entities', 1],
        ['_entities', 3],
      ]);
      for (const error of errors) expect(error.extensions).toEqual({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0127' });
    });

    it('asks the outcome for each original index', () => {
      const error = jest.fn((index: number) => ({ message: `down ${index}` }));
      mergeEntities(6, [{ batch: batch('0128', [1, 5, 2]), ok: false, error }]);
      expect(error.mock.calls.map(([index]) => index)).toEqual([1, 5, 2]);
    });
  });

  describe('a shard that answered without usable entities', () => {
    it.each<[string, unknown[] | null | undefined]>([
      ['too few entities', [{ id: 'only' }]],
      ['too many entities', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]],
      ['null `_entities`', null],
      ['no data at all', undefined],
    ])('nulls its positions and names the municipality per position: %s', (_name, received) => {
      const outcome: ShardOutcome = { batch: batch('0127', [1, 2]), ok: true, entities: received };
      const { entities, errors } = mergeEntities(3, [answered('0126', [0]), outcome]);
      expect(entities).toEqual([entity(0, '0126'), null, null]);
      expect(errors).toEqual(
        [1, 2].map((index) => ({
          message: 'Municipality 0127 is unavailable: it returned no entities for this batch. Data from the other municipalities is still returned.',
          path: ['_entities', index],
          extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0127' },
        })),
      );
    });

    it('reports the shard’s own errors instead when it sent any', () => {
      const outcome: ShardOutcome = { batch: batch('0127', [0, 1]), ok: true, entities: null, errors: [{ message: 'Cannot query field "x"' }] };
      const { entities, errors } = mergeEntities(2, [outcome]);
      expect(entities).toEqual([null, null]);
      expect(errors).toEqual([{ message: 'Cannot query field "x"', extensions: { municipalityCode: '0127' } }]);
    });
  });

  describe('extra errors and error order', () => {
    it('merges extra errors and sorts every error by entity index, pathless last', () => {
      const unknown: GraphQLFormattedError = { message: 'unknown 9999', path: ['_entities', 2], extensions: { code: 'UNKNOWN_MUNICIPALITY' } };
      const { entities, errors } = mergeEntities(
        5,
        [
          answered(
            '0126',
            [3, 4],
            [{ message: 'late', path: ['_entities', 1, 'x'] }, { message: 'global' }, { message: 'early', path: ['_entities', 0, 'y'] }],
          ),
          failed('0127', [1, 0]),
        ],
        [unknown],
      );
      expect(entities).toEqual([null, null, null, entity(3, '0126'), entity(4, '0126')]);
      expect(errors.map((e) => [e.message, e.path?.[1]])).toEqual([
        ['Municipality 0127 is down', 0],
        ['Municipality 0127 is down', 1],
        ['unknown 9999', 2],
        ['early', 3],
        ['late', 4],
        ['global', undefined],
      ]);
      expect(errors[2]).toBe(unknown);
    });

    it('does not renumber a numbered path outside `_entities`, and sorts it with the errors of no entity', () => {
      const { errors } = mergeEntities(4, [
        answered(
          '0126',
          [2, 3],
          [
            { message: 'elsewhere', path: ['x', 0] },
            { message: 'entity', path: ['_entities', 1, 'a'] },
          ],
        ),
      ]);
      expect(errors).toEqual([
        { message: 'entity', path: ['_entities', 3, 'a'], extensions: { municipalityCode: '0126' } },
        { message: 'elsewhere', path: ['x', 0], extensions: { municipalityCode: '0126' } },
      ]);
    });

    it('sorts an error with a non-numeric `_entities` index with the errors of no entity', () => {
      const { errors } = mergeEntities(2, [
        answered(
          '0126',
          [0, 1],
          [
            { message: 'odd', path: ['_entities', 'x'] },
            { message: 'entity', path: ['_entities', 1, 'a'] },
          ],
        ),
      ]);
      expect(errors.map((e) => e.message)).toEqual(['entity', 'odd']);
    });

    it('keeps the insertion order of errors at the same index', () => {
      const { errors } = mergeEntities(1, [
        answered(
          '0126',
          [0],
          [
            { message: 'first', path: ['_entities', 0, 'a'] },
            { message: 'second', path: ['_entities', 0, 'b'] },
          ],
        ),
      ]);
      expect(errors.map((e) => e.message)).toEqual(['first', 'second']);
    });
  });
});
