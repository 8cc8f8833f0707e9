import { ConfigError } from '@sodertorn/service-kit';
import { knownMunicipalities, nearestThreat, parseRoadDistances, roadDistanceKm } from './distances';

describe('Road distances (infra/road-distances.json)', () => {
  it('knows every pair of the eight members and the three threat areas, both ways', () => {
    const known = knownMunicipalities();
    expect(known).toEqual(['0126', '0127', '0128', '0136', '0138', '0140', '0180', '0181', '0192', '0380', '1480']);
    for (const a of known) {
      for (const b of known) {
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

  it('takes a new member from data: its rows are read both ways', () => {
    const table = parseRoadDistances({ roadKm: [['0126', '0183', 40]] }, 'test');
    expect(table.get('0126-0183')).toBe(40);
    expect(table.get('0183-0126')).toBe(40);
  });

  it('refuses a malformed row, naming the file and the row', () => {
    expect(() => parseRoadDistances({ roadKm: [['0126', '183', 40]] }, 'ROAD_DISTANCES_FILE')).toThrow(ConfigError);
    expect(() => parseRoadDistances({ roadKm: [['0126', '0183', 0]] }, 'ROAD_DISTANCES_FILE')).toThrow(
      /ROAD_DISTANCES_FILE: roadKm\.0\.2: must be a whole number of km/,
    );
  });
});
