import { GraphQLError } from 'graphql';

/**
 * A statistics round refused by the coverage lock: this municipality took part in
 * a round for the same year over another set of municipalities not long ago.
 * Names that set and when the lock ends; never a count.
 */
export class CoverageLockedError extends GraphQLError {
  constructor(year: number, lockedParticipants: readonly string[], lockedUntil: Date) {
    super(
      `This municipality took part in a statistics round for ${year} over other municipalities (${lockedParticipants.join(', ')}). ` +
        'Taking part over a different set would let the two regional totals be subtracted from each other, and the difference ' +
        'is the numbers of the municipalities in one set but not the other (differencing). Ask again over the same municipalities, ' +
        `or after ${lockedUntil.toISOString()}. Nothing was released.`,
      { extensions: { code: 'STATISTICS_COVERAGE_LOCKED', lockedParticipants: [...lockedParticipants], lockedUntil: lockedUntil.toISOString() } },
    );
  }
}
