import type { HousingKind, MatchRequest, MatchUnit, UrgencyLevel } from './types';
import { prng } from '@sodertorn/testing';

/**
 * Seeded random batches for the tests, the benchmark (bench/) and the solver's
 * warm-up at start (propose.ts); never for real requests. The defaults imitate a plausible region: mostly single adults,
 * some families, an IMMEDIATE request in seven, units spread over the eight
 * municipalities. Options push instances towards the awkward cases.
 */
export interface RandomBatchOptions {
  seed: number;
  requests: number;
  units: number;
  /** 'ample': places to spare (about five times the demand); 'tight': most units are full, free places are scarce. */
  supply?: 'ample' | 'tight';
  /** Share of requests whose caller forgot the home municipality in excludedMunicipalities (default 0). */
  forgetHome?: number;
  /** Largest household (default 6). */
  maxHousehold?: number;
  /** The batch's "today" (default 2026-12-01). */
  today?: string;
}

export const SODERTORN = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'] as const;
const THREAT_AREAS = ['0180', '0380', '1480'] as const;

/** Picks by weight: weighted(random, [['a', 3], ['b', 1]]) is 'a' three times in four. */
function weighted<T>(random: () => number, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let r = random() * total;
  for (const [value, weight] of options) {
    r -= weight;
    if (r < 0) return value;
  }
  return options[options.length - 1]![0];
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function randomBatch(options: RandomBatchOptions): { requests: MatchRequest[]; units: MatchUnit[] } {
  const random = prng(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const today = options.today ?? '2026-12-01';
  const maxHousehold = options.maxHousehold ?? 6;

  const requests: MatchRequest[] = [];
  for (let i = 0; i < options.requests; i++) {
    const home = pick(SODERTORN);
    const urgency = weighted<UrgencyLevel>(random, [
      ['IMMEDIATE', 15],
      ['HIGH', 30],
      ['NORMAL', 55],
    ]);
    const householdSize = Math.min(
      maxHousehold,
      weighted(random, [
        [1, 55],
        [2, 20],
        [3, 12],
        [4, 8],
        [5, 3],
        [6, 2],
      ]),
    );
    const children = householdSize > 1 && random() < 0.6 ? int(1, householdSize - 1) : 0;
    const excluded = new Set<string>(random() < (options.forgetHome ?? 0) ? [] : [home]);
    if (random() < 0.5) excluded.add('0180');
    if (random() < 0.3) excluded.add(pick(SODERTORN));
    if (random() < 0.05) excluded.add(pick(THREAT_AREAS));
    const allowedKinds: HousingKind[] =
      urgency === 'IMMEDIATE'
        ? weighted<HousingKind[]>(random, [
            [['PROTECTED', 'EMERGENCY'], 3],
            [['EMERGENCY'], 1],
            [['PROTECTED'], 1],
          ])
        : weighted<HousingKind[]>(random, [
            [['PROTECTED'], 3],
            [['PROTECTED', 'TRAINING_FLAT'], 3],
            [['TRAINING_FLAT', 'SUPPORTED'], 2],
            [['SUPPORTED'], 1],
            [['PROTECTED', 'EMERGENCY', 'TRAINING_FLAT', 'SUPPORTED'], 1],
          ]);
    requests.push({
      ref: `${home}:req-${options.seed}-${i}`,
      municipalityCode: home,
      urgency,
      waitingDays: urgency === 'IMMEDIATE' ? int(0, 2) : urgency === 'HIGH' ? int(0, 30) : int(0, 120),
      householdSize,
      children,
      needsWheelchairAccess: random() < 0.06,
      allowedKinds,
      excludedMunicipalities: [...excluded],
      earliestStart: addDays(today, urgency === 'IMMEDIATE' ? 0 : urgency === 'HIGH' ? int(0, 7) : int(0, 30)),
      durationDays: int(30, 365),
    });
  }

  const units: MatchUnit[] = [];
  for (let j = 0; j < options.units; j++) {
    const municipalityCode = pick(SODERTORN);
    const freePlaces =
      options.supply === 'tight'
        ? weighted(random, [
            [0, 60],
            [1, 25],
            [2, 10],
            [3, 5],
          ])
        : weighted(random, [
            [1, 35],
            [2, 25],
            [3, 15],
            [4, 12],
            [5, 8],
            [6, 5],
          ]);
    const when = random();
    units.push({
      ref: `${municipalityCode}:unit-${options.seed}-${j}`,
      municipalityCode,
      kind: weighted<HousingKind>(random, [
        ['PROTECTED', 35],
        ['TRAINING_FLAT', 25],
        ['EMERGENCY', 15],
        ['SUPPORTED', 25],
      ]),
      freePlaces,
      wheelchairAccessible: random() < 0.2,
      suitableForChildren: random() < 0.5,
      ...(when < 0.6 ? {} : when < 0.85 ? { availableFrom: addDays(today, -int(0, 30)) } : { availableFrom: addDays(today, int(1, 45)) }),
    });
  }
  return { requests, units };
}
