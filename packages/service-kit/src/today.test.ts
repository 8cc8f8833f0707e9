import { todayInStockholm } from './today';

describe('todayInStockholm', () => {
  // One call after another, as a running service makes them: the answer of one minute must not outlive the day.
  it.each([
    ['winter (UTC+1)', '2026-12-04T22:59:59.999Z', '2026-12-04', '2026-12-04T23:00:00.000Z', '2026-12-05'],
    ['summer (UTC+2)', '2026-06-30T21:59:59.999Z', '2026-06-30', '2026-06-30T22:00:00.000Z', '2026-07-01'],
    ['the night clocks go forward', '2026-03-28T22:59:30.000Z', '2026-03-28', '2026-03-28T23:00:00.000Z', '2026-03-29'],
  ])('turns the day at midnight in Sweden: %s', (_season, before, dayBefore, after, dayAfter) => {
    expect(todayInStockholm(new Date(before))).toBe(dayBefore);
    expect(todayInStockholm(new Date(before))).toBe(dayBefore);
    expect(todayInStockholm(new Date(after))).toBe(dayAfter);
    expect(todayInStockholm(new Date(before))).toBe(dayBefore);
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => todayInStockholm(new Date('not a date'))).toThrow(RangeError);
  });
});
