import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/** One municipality's deployment could not answer; the rest of the answer stands. */
export class MunicipalityUnavailableError extends GraphQLError {
  constructor(municipalityCode: string, reason: string, options: Pick<GraphQLErrorOptions, 'path'> = {}) {
    super(`Municipality ${municipalityCode} is unavailable: ${reason}. Data from the other municipalities is still returned.`, {
      ...options,
      extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode },
    });
  }
}
