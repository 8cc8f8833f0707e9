import { ClientError } from './client-error';

/**
 * A statistics round refused by the coverage lock: this municipality took part in a round for the
 * same year over another set of municipalities not long ago. Names that set and when the lock
 * ends; never a count.
 */
export class CoverageLockedError extends ClientError {
  static override readonly code = 'STATISTICS_COVERAGE_LOCKED';
  constructor(year: number, lockedParticipants: readonly string[], lockedUntil: Date) {
    super(
      `This municipality took part in a statistics round for ${year} over other municipalities (${lockedParticipants.join(', ')}). ` +
        'Taking part over a different set would let the two regional totals be subtracted from each other, and the difference ' +
        'is the numbers of the municipalities in one set but not the other (differencing). Ask again over the same municipalities, ' +
        `or after ${lockedUntil.toISOString()}. Nothing was released.`,
      { lockedParticipants: [...lockedParticipants], lockedUntil: lockedUntil.toISOString() },
    );
  }
}

/** This deployment has no statistics key (or none shared with another member): it takes part in no round. */
export class StatisticsNotConfiguredError extends ClientError {
  static override readonly code = 'STATISTICS_NOT_CONFIGURED';
  constructor(message: string) {
    super(message);
  }
}

/** Regional statistics cannot be computed now; `missing` names the municipalities that could not take part. */
export class StatisticsUnavailableError extends ClientError {
  static override readonly code = 'STATISTICS_UNAVAILABLE';
  constructor(message: string, missing: readonly string[]) {
    super(message, { missing: [...missing] });
  }
}
