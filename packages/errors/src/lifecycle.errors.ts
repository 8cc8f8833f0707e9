import { ClientError } from './client-error';

/** A status change that the lifecycle does not allow from the current status. Nothing was changed. */
export class InvalidTransitionError extends ClientError {
  static override readonly code = 'INVALID_TRANSITION';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, details);
  }

  /** `what id` cannot go from `from` to `to`, which is reached only from `allowedFrom`. */
  static between(what: string, id: string, from: string, to: string, allowedFrom: readonly string[]): InvalidTransitionError {
    return new InvalidTransitionError(
      `${what} ${id} cannot go from ${from} to ${to}: ${to} is reached only from ${allowedFrom.join(' or ')}. Nothing was changed.`,
      { from, to },
    );
  }

  /**
   * A local change to a request or booking that a regional placement is using: it goes through the
   * region (which keeps the placement, its history and the other municipality in step).
   */
  static placementInFlight(what: string, id: string, placementId: string, instead: string): InvalidTransitionError {
    return new InvalidTransitionError(`${what} ${id} is part of regional placement ${placementId}; ${instead}. Nothing was changed.`, { placementId });
  }
}

/** An idempotency key already used for another operation or other arguments. Nothing was changed. */
export class IdempotencyKeyReusedError extends ClientError {
  static override readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, details);
  }

  /** The key was stored for `storedOperation`, or for `operation` with other arguments. */
  static usedFor(operation: string, storedOperation: string): IdempotencyKeyReusedError {
    const what = storedOperation === operation ? `${operation} with other arguments` : storedOperation;
    return new IdempotencyKeyReusedError(`This idempotency key was already used for ${what}. Use a new key for a new request; nothing was changed.`, {
      operation: storedOperation,
    });
  }
}

/** Not enough places free in a unit over a period; says how many are. Nothing was booked. */
export class NoFreePlacesError extends ClientError {
  static override readonly code = 'NO_FREE_PLACES';
  constructor(unitId: string, asked: number, free: number | null, period: { from: string; to: string }) {
    const freeText = free === null ? 'not enough places are free' : `${free} place${free === 1 ? ' is' : 's are'} free`;
    super(
      `Housing unit ${unitId}: ${asked} place${asked === 1 ? '' : 's'} asked for, but ${freeText} on every day from ${period.from} to ${period.to}. Nothing was booked.`,
      { freePlaces: free, asked },
    );
  }
}

/** A hold whose time ran out: its places may already be someone else's. */
export class HoldExpiredError extends ClientError {
  static override readonly code = 'HOLD_EXPIRED';
  constructor(bookingId: string, expiresAt: Date) {
    super(`Booking ${bookingId} was held until ${expiresAt.toISOString()} and has expired; hold the places again. Nothing was changed.`, {
      expiresAt: expiresAt.toISOString(),
    });
  }
}

/** Another step of a placement is still being finished; one step at a time. Nothing was changed. */
export class StepInProgressError extends ClientError {
  static override readonly code = 'STEP_IN_PROGRESS';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, details);
  }
}
