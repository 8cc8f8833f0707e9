import { GraphQLError } from 'graphql';

/**
 * No valid token: HTTP 401, and nothing is executed. The message says what to
 * do; the reason it carries is generic, so a probe learns nothing about keys.
 */
export class AuthenticationError extends GraphQLError {
  constructor(reason: string) {
    super(`Not authenticated: ${reason}. Send a valid bearer token in the Authorization header.`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
}
