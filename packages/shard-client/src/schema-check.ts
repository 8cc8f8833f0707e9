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
  return (servedSdl) =>
    normalizeSdl(servedSdl) === expected ? { compatible: true } : { compatible: false, reason: 'it serves a schema that differs from the supergraph' };
}

/**
 * The check for independent upgrades: a deployment is served when its SDL provides everything
 * the supergraph routes to it (`supergraphNeeds`: the subgraph SDL the supergraph was composed
 * from); more is allowed. See schema-compatibility.ts.
 */
export function compatibleSchemaCheck(supergraphNeeds: string): SchemaCheck {
  const needs = parse(supergraphNeeds);
  return (servedSdl) => {
    const { compatible, problems } = schemaCompatibility(needs, servedSdl);
    if (compatible) return { compatible: true };
    const shown = problems.slice(0, 5).join('; ');
    return { compatible: false, reason: `it serves a schema that lacks what the supergraph routes to it (${shown}${problems.length > 5 ? '; …' : ''})` };
  };
}
