import { GraphQLError } from 'graphql';

/** The caller may not do this; the message says what would be needed, never what exists. */
export class ForbiddenError extends GraphQLError {
  constructor(reason: string) {
    super(reason, { extensions: { code: 'FORBIDDEN' } });
  }
}
