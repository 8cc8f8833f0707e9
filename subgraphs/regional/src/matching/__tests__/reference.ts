/**
 * Independent references for the matching tests, written from the rules in
 * the brief rather than from the engine's code: a feasibility check, a checker
 * for whole results, a brute-force optimum and a plain integer programme for
 * HiGHS. Scores come from the engine's scorePair: the objective is defined by
 * the weights, and weights are tested on their own.
 */
import loadHighs from 'highs';
import { scorePair } from '../score';
import type { HousingKind, MatchRequest, MatchResult, MatchUnit } from '../types';
import { prng as seededRandom } from '@sodertorn/testing';

/** The hard constraints for one pair, straight from the specification. */
export function feasibleByRule(request: MatchRequest, unit: MatchUnit): boolean {
  if (unit.municipalityCode === request.municipalityCode) return false;
  if (request.excludedMunicipalities.includes(unit.municipalityCode)) return false;
  if (!request.allowedKinds.includes(unit.kind)) return false;
  if (request.householdSize > unit.freePlaces) return false;
  if (request.children > 0 && !unit.suitableForChildren) return false;
  if (request.needsWheelchairAccess && !unit.wheelchairAccessible) return false;
  if (unit.availableFrom !== undefined && new Date(unit.availableFrom).getTime() > new Date(request.earliestStart).getTime()) return false;
  const moveOut = new Date(request.earliestStart).getTime() + request.durationDays * 86_400_000;
  if (unit.availableUntil !== undefined && moveOut > new Date(unit.availableUntil).getTime()) return false;
  return true;
}

/** Everything wrong with a result, in words; [] when it respects every rule. */
export function violations(requests: readonly MatchRequest[], units: readonly MatchUnit[], result: MatchResult): string[] {
  const problems: string[] = [];
  const requestByRef = new Map(requests.map((r) => [r.ref, r]));
  const unitByRef = new Map(units.map((u) => [u.ref, u]));
  const placed = new Set<string>();
  const load = new Map<string, number>();
  let total = 0;
  for (const p of result.proposals) {
    const request = requestByRef.get(p.requestRef);
    const unit = unitByRef.get(p.unitRef);
    if (!request || !unit) {
      problems.push(`unknown ref in ${p.requestRef} → ${p.unitRef}`);
      continue;
    }
    if (placed.has(p.requestRef)) problems.push(`${p.requestRef} placed twice`);
    placed.add(p.requestRef);
    if (!feasibleByRule(request, unit)) problems.push(`${p.requestRef} → ${p.unitRef} breaks a hard constraint`);
    if (unit.municipalityCode === request.municipalityCode) problems.push(`${p.requestRef} placed in its home municipality`);
    load.set(p.unitRef, (load.get(p.unitRef) ?? 0) + request.householdSize);
    const { urgency, waiting, fit, distance } = p.parts;
    if (urgency + waiting + fit + distance !== p.score) problems.push(`${p.requestRef}: parts do not sum to the score`);
    if (p.score !== scorePair(request, unit).score) problems.push(`${p.requestRef}: score differs from scorePair`);
    total += p.score;
  }
  for (const [ref, places] of load) {
    if (places > unitByRef.get(ref)!.freePlaces) problems.push(`${ref} over-assigned: ${places} > ${unitByRef.get(ref)!.freePlaces}`);
  }
  for (const u of result.unmatched) {
    if (placed.has(u.requestRef)) problems.push(`${u.requestRef} both placed and unmatched`);
    placed.add(u.requestRef);
  }
  if (placed.size !== requests.length) problems.push(`${requests.length - placed.size} requests neither placed nor unmatched`);
  if (total !== result.objective) problems.push(`objective ${result.objective} ≠ sum of scores ${total}`);
  if (result.upperBound < result.objective) problems.push(`upper bound ${result.upperBound} below objective ${result.objective}`);
  return problems;
}

/** The optimum by trying every assignment (each request: nowhere or one feasible unit). Tiny instances only. */
export function bruteForceOptimum(requests: readonly MatchRequest[], units: readonly MatchUnit[]): number {
  const options = requests.map((r) => units.flatMap((u, j) => (feasibleByRule(r, u) ? [{ j, score: scorePair(r, u).score }] : [])));
  const room = units.map((u) => u.freePlaces);
  let best = 0;
  const visit = (i: number, value: number): void => {
    if (i === requests.length) {
      best = Math.max(best, value);
      return;
    }
    visit(i + 1, value);
    for (const { j, score } of options[i]!) {
      if (room[j]! < requests[i]!.householdSize) continue;
      room[j]! -= requests[i]!.householdSize;
      visit(i + 1, value + score);
      room[j]! += requests[i]!.householdSize;
    }
  };
  visit(0, 0);
  return best;
}

let highs: ReturnType<typeof loadHighs> | undefined;

/**
 * The optimum by HiGHS on the plain formulation: one binary per feasible pair
 * (named x<request>_<unit>), at most one unit per request, Σ household sizes ≤
 * free places per unit. Written here, apart from the engine's model code.
 */
export async function highsOptimum(requests: readonly MatchRequest[], units: readonly MatchUnit[]): Promise<number> {
  highs ??= loadHighs();
  const solver = await highs;
  const objective: string[] = [];
  const perRequest = requests.map(() => [] as string[]);
  const perUnit = units.map(() => [] as string[]);
  const binaries: string[] = [];
  requests.forEach((r, i) =>
    units.forEach((u, j) => {
      if (!feasibleByRule(r, u)) return;
      const x = `x${i}_${j}`;
      objective.push(`+ ${scorePair(r, u).score} ${x}`);
      perRequest[i]!.push(`+ ${x}`);
      perUnit[j]!.push(`+ ${r.householdSize} ${x}`);
      binaries.push(x);
    }),
  );
  if (binaries.length === 0) return 0;
  const lines = ['Maximize', ` total: ${objective.join('\n  ')}`, 'Subject To'];
  perRequest.forEach((terms, i) => terms.length && lines.push(` once_${i}: ${terms.join(' ')} <= 1`));
  perUnit.forEach((terms, j) => terms.length && lines.push(` places_${j}: ${terms.join(' ')} <= ${units[j]!.freePlaces}`));
  lines.push('Binary', ` ${binaries.join('\n ')}`, 'End');
  const solution = solver.solve(lines.join('\n'), { output_flag: false, mip_rel_gap: 0, time_limit: 50 });
  if (solution.Status !== 'Optimal') throw new Error(`reference HiGHS solve ended with ${solution.Status}`);
  return Math.round(solution.ObjectiveValue);
}

const CODES = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const KINDS: HousingKind[] = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'];

/**
 * Instances built to make packing hard: households of 1–5 competing for
 * few units of 2–7 places, so that the LP relaxation is fractional and the
 * engine has to go through its MIP stage.
 */
export function packingBatch(seed: number, requestCount: number, unitCount: number): { requests: MatchRequest[]; units: MatchUnit[] } {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const requests: MatchRequest[] = Array.from({ length: requestCount }, (_, i) => {
    const home = pick(CODES);
    const householdSize = 1 + Math.floor(random() * 5);
    return {
      ref: `${home}:p${seed}-${i}`,
      municipalityCode: home,
      urgency: pick(['IMMEDIATE', 'HIGH', 'NORMAL', 'NORMAL'] as const),
      waitingDays: Math.floor(random() * 100),
      householdSize,
      children: householdSize > 1 && random() < 0.3 ? 1 : 0,
      needsWheelchairAccess: random() < 0.05,
      allowedKinds: random() < 0.5 ? [...KINDS] : [pick(KINDS), pick(KINDS)],
      excludedMunicipalities: random() < 0.5 ? [home, '0180'] : [home],
      earliestStart: '2026-12-01',
      durationDays: i % 3 === 0 ? 30 : 90,
    };
  });
  const units: MatchUnit[] = Array.from({ length: unitCount }, (_, j) => ({
    ref: `u${seed}-${j}`,
    municipalityCode: pick(CODES),
    kind: pick(KINDS),
    freePlaces: 2 + Math.floor(random() * 6),
    wheelchairAccessible: random() < 0.5,
    suitableForChildren: random() < 0.8,
    ...(random() < 0.2 ? { availableFrom: '2026-12-05' } : {}),
    // Every fourth unit is free only for a month (then booked): it takes the 30-day stays, not the 90-day ones.
    ...(j % 4 === 1 ? { availableUntil: '2027-01-01' } : {}),
  }));
  return { requests, units };
}
