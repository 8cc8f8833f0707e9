import { Kind, type StringValueNode } from 'graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { LocalDate } from './scalars';

const literal = (value: string): StringValueNode => ({ kind: Kind.STRING, value });
const message = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('LocalDate (checks made once per string)', () => {
  it.each(['2026-12-01', '2024-02-29', '2000-01-01'])('accepts %s, again and again, through every entry', (date) => {
    for (let i = 0; i < 3; i++) {
      expect(LocalDate.parseLiteral(literal(date), {})).toBe(date);
      expect(LocalDate.parseValue(date)).toBe(date);
      expect(LocalDate.serialize(date)).toBe(date);
    }
  });

  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-01', 'yesterday', '', '2026-12-01T00:00:00Z'])(
    'refuses %s as graphql-scalars does, also after valid dates were remembered',
    (date) => {
      LocalDate.parseValue('2026-12-01');
      for (let i = 0; i < 2; i++) {
        expect(message(() => LocalDate.parseLiteral(literal(date), {}))).toBe(message(() => LocalDateResolver.parseLiteral(literal(date), {})));
        expect(message(() => LocalDate.parseValue(date))).toBe(message(() => LocalDateResolver.parseValue(date)));
        expect(message(() => LocalDate.parseValue(date))).not.toBe('accepted');
      }
    },
  );

  it('refuses what is not a string, and a literal of another kind', () => {
    expect(message(() => LocalDate.parseValue(20261201))).toBe(message(() => LocalDateResolver.parseValue(20261201)));
    expect(message(() => LocalDate.parseLiteral({ kind: Kind.INT, value: '20261201' }, {}))).toMatch(/Can only validate strings/);
  });

  it('is still the same scalar to a schema: name, description, specification', () => {
    expect(LocalDate.toConfig()).toMatchObject({
      name: 'LocalDate',
      description: LocalDateResolver.description,
      specifiedByURL: LocalDateResolver.specifiedByURL,
    });
  });
});
