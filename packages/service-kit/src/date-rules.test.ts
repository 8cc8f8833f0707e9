import { assertPeriod, dateProblem, latestDate, periodProblems, yearProblem } from './date-rules';
import { ValidationFailedError } from './errors';

const TODAY = '2026-12-04';
const from = (value: string) => ({ field: 'from', value });
const to = (value: string) => ({ field: 'to', value });

describe('Date rules: which dates the API accepts', () => {
  it('allows dates up to three years after today, a leap day going to 1 March', () => {
    expect(latestDate(TODAY)).toBe('2029-12-04');
    expect(latestDate('2028-02-29')).toBe('2031-03-01');
  });

  it.each([
    ['1999-12-31', 'date', false],
    ['2000-01-01', 'date', true],
    ['2029-12-04', 'date', true],
    ['2029-12-05', 'date', false],
    ['9999-12-31', 'date', false],
    ['1899-12-31', 'birthDate', false],
    ['1900-01-01', 'birthDate', true],
    ['2026-12-04', 'birthDate', true],
    ['2026-12-05', 'birthDate', false],
  ] as const)('%s as a %s: accepted %s', (value, kind, accepted) => {
    expect(dateProblem({ field: 'd', value }, kind, TODAY) === null).toBe(accepted);
  });

  it('names the field and the range in the message', () => {
    expect(dateProblem({ field: 'input.earliestStart', value: '1900-01-01' }, 'date', TODAY)).toEqual({
      field: 'input.earliestStart',
      message: 'must be from 2000-01-01 to 2029-12-04 (3 years ahead)',
    });
    expect(dateProblem({ field: 'birthDate', value: '1800-01-01' }, 'birthDate', TODAY)).toEqual({
      field: 'birthDate',
      message: 'must be from 1900-01-01 to today',
    });
  });

  it.each([
    ['2027-01-01', '2027-01-02', []],
    ['2027-01-01', '2029-01-01', []],
    ['2027-01-01', '2029-01-02', [{ field: 'to', message: 'can be at most 731 days after from' }]],
    ['2027-01-01', '2027-01-01', [{ field: 'to', message: 'must be after from (to is the first day not included)' }]],
    [
      '1900-01-01',
      '9999-01-01',
      [
        { field: 'from', message: 'must be from 2000-01-01 to 2029-12-04 (3 years ahead)' },
        { field: 'to', message: 'must be from 2000-01-01 to 2029-12-04 (3 years ahead)' },
      ],
    ],
  ])('a period from %s to %s', (start, end, problems) => {
    expect(periodProblems(from(start), to(end), { today: TODAY })).toEqual(problems);
  });

  it('throws the one validation error for a period that is not sensible', () => {
    expect(() => assertPeriod(from('2027-01-02'), to('2027-01-01'), { today: TODAY })).toThrow(ValidationFailedError);
    expect(() => assertPeriod(from('2027-01-01'), to('2027-01-31'), { today: TODAY, maxDays: 10 })).toThrow('can be at most 10 days after from');
  });
});

describe('the year range (statistics are by calendar year)', () => {
  it.each([
    [2000, null],
    [2029, null],
    [1999, 'must be a year from 2000 to 2029'],
    [2030, 'must be a year from 2000 to 2029'],
    [2026.5, 'must be a year from 2000 to 2029'],
  ])('year %s with today 2026-12-04: %s', (year, message) => {
    expect(yearProblem('year', year, '2026-12-04')).toEqual(message === null ? null : { field: 'year', message });
  });
});
