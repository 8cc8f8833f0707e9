import { MunicipalityUnavailableError } from '@sodertorn/service-kit';
import { GraphQLError } from 'graphql';
import type { FailureKind } from './retry-policy';

/**
 * A shard gave no answer: unreachable, too slow, failing, its circuit open, or
 * not speaking our schema. A client error (code MUNICIPALITY_UNAVAILABLE) naming
 * the municipality and why, never what was asked; `kind` decides whether the
 * call may be retried (retry-policy.ts).
 */
export class ShardUnavailable extends MunicipalityUnavailableError {
  constructor(
    municipalityCode: string,
    reason: string,
    readonly kind: FailureKind = 'connection',
  ) {
    super(municipalityCode, reason, { consequence: 'Nothing was changed by this request; try again.' });
  }
}

/** A shard answered a service call with a refusal of its own (e.g. NO_FREE_PLACES): passed on to the client as is. */
export class ShardRefusal extends GraphQLError {
  /** The shard's own error extensions (its code and any details it gives), for callers that act on them. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(municipalityCode: string, message: string, code: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, { extensions: { code, municipalityCode } });
    this.details = details;
  }
}
