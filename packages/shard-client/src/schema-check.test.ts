import { compatibleSchemaCheck, rememberVerdicts, type SchemaVerdict } from './schema-check';

describe('rememberVerdicts', () => {
  const lacking: SchemaVerdict = { compatible: false, reason: 'lacks Query.b' };
  const judge = () => jest.fn((sdl: string): SchemaVerdict => (sdl.includes('b: Int') ? { compatible: true } : lacking));

  it('judges each SDL text once, and answers it again from memory', () => {
    const inner = judge();
    const check = rememberVerdicts(inner);
    for (let i = 0; i < 3; i++) {
      expect(check('type Query { a: Int b: Int }')).toEqual({ compatible: true });
      expect(check('type Query { a: Int }')).toEqual(lacking);
    }
    expect(inner).toHaveBeenCalledTimes(2);
  });

  it('forgets the oldest text beyond maxEntries, and judges it anew when it comes back', () => {
    const inner = judge();
    const check = rememberVerdicts(inner, 2);
    ['type Query { a: Int }', 'type Query { b: Int }', 'type Query { c: Int }', 'type Query { a: Int }'].forEach((sdl) => check(sdl));
    expect(inner.mock.calls.map(([sdl]) => sdl)).toEqual(['type Query { a: Int }', 'type Query { b: Int }', 'type Query { c: Int }', 'type Query { a: Int }']);
  });

  it('does not remember a check that threw: the next probe judges again', () => {
    const inner = jest.fn((): SchemaVerdict => {
      throw new Error('Syntax Error');
    });
    const check = rememberVerdicts(inner);
    expect(() => check('type {')).toThrow('Syntax Error');
    expect(() => check('type {')).toThrow('Syntax Error');
    expect(inner).toHaveBeenCalledTimes(2);
  });
});

describe('compatibleSchemaCheck', () => {
  it('gives the same verdicts when asked again about the same SDL', () => {
    const check = compatibleSchemaCheck('type Query { a: Int b: Int }');
    for (let i = 0; i < 2; i++) {
      expect(check('type Query { a: Int b: Int c: Int }')).toEqual({ compatible: true });
      expect(check('type Query { a: Int }')).toMatchObject({ compatible: false, reason: expect.stringContaining('Query.b') });
    }
  });
});
