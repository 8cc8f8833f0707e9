import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/** A municipality code that is not in the registry. */
export class UnknownMunicipalityError extends GraphQLError {
  constructor(municipalityCode: string, options: Pick<GraphQLErrorOptions, 'path'> = {}) {
    super(`Unknown municipality code "${municipalityCode}". Use one of the region's four-digit kommunkoder, e.g. 0126.`, {
      ...options,
      extensions: { code: 'UNKNOWN_MUNICIPALITY', municipalityCode },
    });
  }
}
