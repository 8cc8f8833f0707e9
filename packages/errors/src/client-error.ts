import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/**
 * An error a client may read as it is: its message says what was wrong and what to do, never
 * anything about a person. Every subclass names its `code` (the `extensions.code` clients act on)
 * as a static field, and every subclass exported by this package is on the allow-list of codes
 * that the services do not mask (`PUBLIC_ERROR_CODES`): a new error class is public by
 * construction, and any other error is masked as an internal one.
 */
export abstract class ClientError extends GraphQLError {
  static readonly code: string;

  protected constructor(message: string, extensions: Readonly<Record<string, unknown>> = {}, options: Pick<GraphQLErrorOptions, 'path'> = {}) {
    super(message, { ...options, extensions: { code: (new.target as unknown as typeof ClientError).code, ...extensions } });
  }
}

/** A ClientError subclass (the class, not an instance). */
export type ClientErrorClass = abstract new (...args: never[]) => ClientError;

export function isClientErrorClass(value: unknown): value is ClientErrorClass & { code: string } {
  return typeof value === 'function' && value.prototype instanceof ClientError && typeof (value as { code?: unknown }).code === 'string';
}
