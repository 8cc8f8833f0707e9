import { GraphQLError } from 'graphql';

/** The thing asked for does not exist in this municipality (or is not visible to the caller). */
export class NotFoundError extends GraphQLError {
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found. Check the id and that it belongs to this municipality.`, {
      extensions: { code: 'NOT_FOUND' },
    });
  }
}
