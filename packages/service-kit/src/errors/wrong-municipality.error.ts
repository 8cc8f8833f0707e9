import { GraphQLError } from 'graphql';

/**
 * A request reached the deployment of another municipality than the one it names.
 * The gateway never routes like this, so it means a misconfigured registry or a
 * request sent straight to a shard; either way nothing is read.
 */
export class WrongMunicipalityError extends GraphQLError {
  constructor(requested: string, served: string) {
    super(`This deployment serves municipality ${served}, not ${requested}.`, {
      extensions: { code: 'WRONG_MUNICIPALITY', municipalityCode: requested },
    });
  }
}
