import { safeOperationName } from './operation-name';

describe('safeOperationName', () => {
  it('keeps ordinary names', () => {
    expect(safeOperationName('RegionCapacity')).toBe('RegionCapacity');
    expect(safeOperationName('Statistics__regional__0')).toBe('Statistics__regional__0');
  });

  it('drops personnummer, dates and phone numbers, and anything that is not a name character', () => {
    expect(safeOperationName('Participant198501011234')).toBe('Participant#');
    expect(safeOperationName('Case_850101_1234')).toBe('Case_#_#');
    expect(safeOperationName('Anna Svensson; 070-1234567')).toBe('Anna_Svensson__070_#');
  });

  it('is bounded and absent for no name', () => {
    expect(safeOperationName('x'.repeat(500))).toHaveLength(64);
    expect(safeOperationName(undefined)).toBeUndefined();
    expect(safeOperationName('')).toBeUndefined();
  });
});
