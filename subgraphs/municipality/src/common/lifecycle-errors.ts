import { GraphQLError } from 'graphql';

/** A status change that the lifecycle does not allow from the current status. */
export class InvalidTransitionError extends GraphQLError {
  constructor(what: string, id: string, from: string, to: string, allowedFrom: readonly string[]) {
    super(`${what} ${id} cannot go from ${from} to ${to}: ${to} is reached only from ${allowedFrom.join(' or ')}. Nothing was changed.`, {
      extensions: { code: 'INVALID_TRANSITION', from, to },
    });
  }
}

/**
 * A local change to a request or booking that a regional placement is using:
 * it goes through the region (which keeps the placement, its history and the
 * other municipality in step), not straight to this shard.
 */
export class PlacementInFlightError extends GraphQLError {
  constructor(what: string, id: string, placementId: string, instead: string) {
    super(`${what} ${id} is part of regional placement ${placementId}; ${instead}. Nothing was changed.`, {
      extensions: { code: 'INVALID_TRANSITION', placementId },
    });
  }
}

/** An idempotency key already used for another operation or other arguments. */
export class IdempotencyKeyReusedError extends GraphQLError {
  constructor(operation: string, storedOperation: string) {
    const what = storedOperation === operation ? `${operation} with other arguments` : storedOperation;
    super(`This idempotency key was already used for ${what}. Use a new key for a new request; nothing was changed.`, {
      extensions: { code: 'IDEMPOTENCY_KEY_REUSED', operation: storedOperation },
    });
  }
}

/** Not enough places free in a unit over a period; says how many are. */
export class NoFreePlacesError extends GraphQLError {
  constructor(unitId: string, asked: number, free: number | null, period: { from: string; to: string }) {
    const freeText = free === null ? 'not enough places are free' : `${free} place${free === 1 ? ' is' : 's are'} free`;
    super(
      `Housing unit ${unitId}: ${asked} place${asked === 1 ? '' : 's'} asked for, but ${freeText} on every day from ${period.from} to ${period.to}. Nothing was booked.`,
      {
        extensions: { code: 'NO_FREE_PLACES', freePlaces: free, asked },
      },
    );
  }
}

/** A hold whose time ran out: its places may already be someone else's. */
export class HoldExpiredError extends GraphQLError {
  constructor(bookingId: string, expiresAt: Date) {
    super(`Booking ${bookingId} was held until ${expiresAt.toISOString()} and has expired; hold the places again. Nothing was changed.`, {
      extensions: { code: 'HOLD_EXPIRED', expiresAt: expiresAt.toISOString() },
    });
  }
}
