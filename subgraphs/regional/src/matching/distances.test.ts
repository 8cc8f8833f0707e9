import { KNOWN_MUNICIPALITIES, nearestThreat, roadDistanceKm } from './distances';

describe('Road distances', () => {
  it('knows every pair of the eight members and the three threat areas, both ways', () => {
    expect(KNOWN_MUNICIPALITIES).toEqual(['0126', '0127', '0128', '0136', '0138', '0140', '0180', '0181', '0192', '0380', '1480']);
    for (const a of KNOWN_MUNICIPALITIES) {
      for (const b of KNOWN_MUNICIPALITIES) {
        expect(roadDistanceKm(a, b)).toBe(roadDistanceKm(b, a));
        expect(roadDistanceKm(a, b)! > 0 || a === b).toBe(true);
      }
    }
  });

  it('measures from the nearest known threat and ignores unknown codes', () => {
    expect(nearestThreat('0192', ['0126', '0180'])).toEqual({ code: '0126', km: 50 });
    expect(nearestThreat('0192', ['9999', '0180'])).toEqual({ code: '0180', km: 60 });
    expect(nearestThreat('9999', ['0126'])).toBeUndefined();
    expect(roadDistanceKm('0126', '9999')).toBeUndefined();
  });
});
