/** An `_entities` representation as the query planner sends it. */
export interface Representation {
  __typename: string;
  [field: string]: unknown;
}

/**
 * The municipality that owns an entity: every municipal key carries it, as
 * `municipalityCode` or, for `Municipality` itself, as `code`.
 */
export function shardCodeOf(representation: Representation): string | undefined {
  const code = representation.__typename === 'Municipality' ? representation.code : representation.municipalityCode;
  return typeof code === 'string' ? code : undefined;
}
