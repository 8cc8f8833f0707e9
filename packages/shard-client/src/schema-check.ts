import { parse, print } from 'graphql';
import { schemaCompatibility } from './schema-compatibility';

/** Whether a deployment's SDL may be called by a gateway or region composed from another. */
export type SchemaVerdict = { compatible: true } | { compatible: false; reason: string };

/**
 * Judges the SDL a deployment serves (its `_service { sdl }`). The one seam for
 * what "the same schema" means: the client calls it at start, on every probe and
 * before using a deployment it could not verify, and never sends data to one it
 * judged incompatible. It may throw (e.g. an SDL that does not parse): that is
 * an incompatible verdict with the error's message as reason.
 */
export type SchemaCheck = (servedSdl: string) => SchemaVerdict;

/** Compares SDL by meaning rather than layout. */
export function normalizeSdl(sdl: string): string {
  return print(parse(sdl));
}

/** Today's check: the served SDL equals `expectedSdl`, layout aside. */
export function exactSdlCheck(expectedSdl: string): SchemaCheck {
  const expected = normalizeSdl(expectedSdl);
  return rememberVerdicts((servedSdl) =>
    normalizeSdl(servedSdl) === expected ? { compatible: true } : { compatible: false, reason: 'it serves a schema that differs from the supergraph' },
  );
}

/**
 * The check for independent upgrades: a deployment is served when its SDL provides everything
 * the supergraph routes to it (`supergraphNeeds`: the subgraph SDL the supergraph was composed
 * from); more is allowed. See schema-compatibility.ts.
 */
export function compatibleSchemaCheck(supergraphNeeds: string): SchemaCheck {
  const needs = parse(supergraphNeeds);
  return rememberVerdicts((servedSdl) => {
    const { compatible, problems } = schemaCompatibility(needs, servedSdl);
    if (compatible) return { compatible: true };
    const shown = problems.slice(0, 5).join('; ');
    return { compatible: false, reason: `it serves a schema that lacks what the supergraph routes to it (${shown}${problems.length > 5 ? '; …' : ''})` };
  });
}

/**
 * `check`, answering an SDL it has judged before from memory: every probe round asks every
 * deployment for its SDL (290 of them nationally, every 5 s), nearly always the same text, and
 * parsing and comparing each cost the gateway more CPU than its queries' fan-out. A verdict is a
 * function of the text alone. At most `maxEntries` texts (oldest forgotten first); a check that
 * throws is not remembered.
 */
export function rememberVerdicts(check: SchemaCheck, maxEntries = 16): SchemaCheck {
  const verdicts = new Map<string, SchemaVerdict>();
  return (servedSdl) => {
    let verdict = verdicts.get(servedSdl);
    if (!verdict) {
      verdict = check(servedSdl);
      verdicts.set(servedSdl, verdict);
      if (verdicts.size > maxEntries) verdicts.delete(verdicts.keys().next().value!);
    }
    return verdict;
  };
}
