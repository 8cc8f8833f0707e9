import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { STATISTICS_LAYOUT_VERSION, statisticsVectorLength, sumMasked, MODULUS } from '@sodertorn/statistics';
import type { Logger } from '@sodertorn/service-kit';
import type { ShardClient } from '../placements/shard-client';

const MASKED_STATISTICS = /* GraphQL */ `
  query MaskedStatistics($round: String!, $participants: [ID!]!, $year: Int!) {
    maskedStatistics(round: $round, participants: $participants, year: $year)
  }
`;

export interface RoundResult {
  /** The regional totals of every cell (layout of @sodertorn/statistics), over `covered`. */
  totals: number[];
  covered: string[];
  /** Members left out, with why. */
  missing: { municipalityCode: string; reason: string }[];
}

/** What a shard sent in one round, for tests that check that nothing plain arrived. */
export type RoundObserver = (municipalityCode: string, round: string, vector: readonly number[]) => void;

/**
 * One secure-aggregation round over every member: each shard returns its cell
 * vector masked with pairwise masks over the participant list, and only the sum
 * of all of them is meaningful. If any participant fails (unreachable, refused,
 * malformed answer), every vector of that attempt is discarded and the round is
 * rerun, under a new label, over the ones that answered. At least two
 * participants are needed (one alone would have no mask).
 */
export async function runStatisticsRound(
  shards: ShardClient,
  year: number,
  options: { requestId?: string; logger?: Logger; observe?: RoundObserver } = {},
): Promise<RoundResult> {
  let participants = shards.codes();
  const missing: RoundResult['missing'] = [];
  const id = randomUUID();
  const length = statisticsVectorLength();
  for (let attempt = 1; participants.length >= 2; attempt++) {
    const round = `statistics/${STATISTICS_LAYOUT_VERSION}/${year}/${id}/attempt-${attempt}`;
    const answers = await Promise.allSettled(
      participants.map(async (code) => {
        const data = await shards.call<{ maskedStatistics: number[] }>(code, MASKED_STATISTICS, { round, participants, year }, options.requestId);
        const vector = data?.maskedStatistics;
        if (!Array.isArray(vector) || vector.length !== length || !vector.every((v) => Number.isSafeInteger(v) && v >= 0 && v < MODULUS)) {
          throw new Error(`municipality ${code} sent a malformed vector`);
        }
        options.observe?.(code, round, vector);
        return vector;
      }),
    );
    const failed = participants.filter((_, i) => answers[i]!.status === 'rejected');
    if (failed.length === 0) {
      const vectors = answers.map((a) => (a as PromiseFulfilledResult<number[]>).value);
      return { totals: sumMasked(vectors), covered: participants, missing };
    }
    for (const code of failed) {
      const reason = ((answers[participants.indexOf(code)] as PromiseRejectedResult).reason as Error).message;
      missing.push({ municipalityCode: code, reason });
    }
    options.logger?.warn({ round, failed }, 'statistics round: municipalities failed, rerunning without them');
    participants = participants.filter((code) => !failed.includes(code));
  }
  throw new GraphQLError('Fewer than two municipalities answered: no regional statistics can be computed now.', {
    extensions: { code: 'STATISTICS_UNAVAILABLE', missing: missing.map((m) => m.municipalityCode) },
  });
}
