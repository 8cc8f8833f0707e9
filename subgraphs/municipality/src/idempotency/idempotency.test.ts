import { hashArguments } from './idempotency';

describe('hashArguments', () => {
  it('is 64 hex digits', () => {
    expect(hashArguments({ id: 'a' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of keys, at any depth', () => {
    expect(hashArguments({ id: 'a', input: { places: 1, unitId: 'u' } })).toBe(hashArguments({ input: { unitId: 'u', places: 1 }, id: 'a' }));
  });

  it('leaves out undefined values, as JSON does', () => {
    expect(hashArguments({ id: 'a', placementId: undefined })).toBe(hashArguments({ id: 'a' }));
  });

  it('tells apart different values, types, nulls and array orders', () => {
    const hashes = [
      { id: 'a' },
      { id: 'b' },
      { id: 1 },
      { id: '1' },
      { id: null },
      { id: ['x', 'y'] },
      { id: ['y', 'x'] },
      { input: { places: 1 } },
      { input: { places: 2 } },
      {},
    ].map(hashArguments);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('reads class instances (type-graphql inputs) by their fields', () => {
    class Input {
      constructor(
        public places: number,
        public unitId: string,
      ) {}
    }
    expect(hashArguments({ input: new Input(1, 'u') })).toBe(hashArguments({ input: { unitId: 'u', places: 1 } }));
  });
});
