// Batch matching at the size the region plans for: 500 open requests against
// 2,000 units, on the compiled engine (npm run bench builds first).
//
// For each instance: the engine's time (first batch after start-up, then the
// median of warm runs), its objective and proof, and HiGHS's optimum of the
// plain integer programme (one binary per feasible pair, written below
// independently of the engine) on the same instance, with its time.
// BENCH_REFERENCE=0 skips the reference solves (they take minutes).
const path = require('node:path');
const loadHighs = require('highs').default;

// The compiled engine, typed by its TypeScript source (required by a computed
// path, so the type checker reads src/ rather than the compiled JavaScript).
const compiled = (file) => require(path.join(__dirname, '../subgraphs/regional/dist/matching', file));
/** @type {typeof import('../subgraphs/regional/src/matching/index')} */
const matching = compiled('index.js');
/** @type {typeof import('../subgraphs/regional/src/matching/random-batch')} */
const { randomBatch } = compiled('random-batch.js');
/** @type {typeof import('../subgraphs/regional/src/matching/score')} */
const { scorePair } = compiled('score.js');

/** @type {Array<import('../subgraphs/regional/src/matching/random-batch').RandomBatchOptions & { name: string }>} */
const INSTANCES = [
  { name: 'ample supply (places ≈ 5 × demand)', seed: 1, requests: 500, units: 2000, supply: 'ample' },
  { name: 'tight supply (most units full)', seed: 1, requests: 500, units: 2000, supply: 'tight' },
];
const WARM_RUNS = 5;
const REFERENCE_TIME_LIMIT_S = Number(process.env.BENCH_REFERENCE_TIME_LIMIT ?? 600);
const withReference = process.env.BENCH_REFERENCE !== '0';

const ms = (value) => `${Math.round(value)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** HiGHS on the plain formulation of the whole instance, via CPLEX LP text. */
function referenceOptimum(highs, requests, units) {
  const objective = [];
  const once = requests.map(() => []);
  const places = units.map(() => []);
  const binaries = [];
  requests.forEach((r, i) => {
    const excluded = new Set([...r.excludedMunicipalities, r.municipalityCode]);
    units.forEach((u, j) => {
      if (excluded.has(u.municipalityCode) || !r.allowedKinds.includes(u.kind) || r.householdSize > u.freePlaces) return;
      if ((r.children > 0 && !u.suitableForChildren) || (r.needsWheelchairAccess && !u.wheelchairAccessible)) return;
      if (u.availableFrom !== undefined && u.availableFrom > r.earliestStart) return;
      const x = `x${i}_${j}`;
      objective.push(`+ ${scorePair(r, u).score} ${x}`);
      once[i].push(`+ ${x}`);
      places[j].push(`+ ${r.householdSize} ${x}`);
      binaries.push(x);
    });
  });
  const lines = ['Maximize', ` total: ${objective.join('\n  ')}`, 'Subject To'];
  once.forEach((terms, i) => terms.length && lines.push(` once_${i}: ${terms.join(' ')} <= 1`));
  places.forEach((terms, j) => terms.length && lines.push(` places_${j}: ${terms.join(' ')} <= ${units[j].freePlaces}`));
  lines.push('Binary', ` ${binaries.join('\n ')}`, 'End');
  const started = performance.now();
  const solution = highs.solve(lines.join('\n'), { output_flag: false, mip_rel_gap: 0, time_limit: REFERENCE_TIME_LIMIT_S });
  return { status: solution.Status, objective: Math.round(solution.ObjectiveValue), ms: performance.now() - started, variables: binaries.length };
}

async function main() {
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores`);
  const started = performance.now();
  await matching.prepareMatching();
  console.log(`start-up (load HiGHS + warm-up, once per process): ${ms(performance.now() - started)}`);

  const results = [];
  for (const instance of INSTANCES) {
    const { requests, units } = randomBatch(instance);
    const times = [];
    let result;
    for (let run = 0; run <= WARM_RUNS; run++) {
      const t = performance.now();
      result = await matching.proposePlacements(requests, units);
      times.push(performance.now() - t);
    }
    if (!result) throw new Error('no batch was run');
    const s = result.statistics;
    console.log(`\n${instance.requests} requests × ${instance.units} units, ${instance.name}, seed ${instance.seed}`);
    console.log(`  feasible pairs ${s.feasiblePairs}; placed ${result.proposals.length}, unmatched ${result.unmatched.length}`);
    console.log(`  engine: first batch ${ms(times[0])}, median of ${WARM_RUNS} more ${ms(median(times.slice(1)))} (max ${ms(Math.max(...times.slice(1)))})`);
    console.log(`  engine: objective ${result.objective}, upper bound ${result.upperBound}, optimal ${result.optimal}`);
    console.log(`  engine: ${s.method}; ${s.lpRounds} LP rounds, ${s.lpColumns} LP columns, ${s.mipColumns} MIP variables`);
    results.push({ instance, requests, units, result, times });
  }

  if (!withReference) return;
  const highs = await loadHighs();
  let mismatch = false;
  for (const { instance, requests, units, result } of results) {
    const reference = referenceOptimum(highs, requests, units);
    const same = reference.status === 'Optimal' && reference.objective === result.objective;
    mismatch ||= reference.status === 'Optimal' && !same;
    console.log(
      `\nHiGHS, plain MIP (${reference.variables} binaries), ${instance.name}: ${reference.status}, objective ${reference.objective} in ${ms(reference.ms)} → ${same ? 'equal to the engine' : 'DIFFERENT from the engine'}`,
    );
  }
  if (mismatch) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
