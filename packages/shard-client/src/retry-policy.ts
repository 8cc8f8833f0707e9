/** Why a shard call failed, as far as retrying is concerned. */
/** `credentials`: the caller had no token to send (nothing reached the shard). */
export type FailureKind = 'connection' | 'server-error' | 'timeout' | 'unverified' | 'drifted' | 'circuit-open' | 'credentials';

export interface RetryPolicy {
  /** Retries after the first attempt (0: never retry). */
  retries: number;
  /** Base of the exponential backoff, in milliseconds. */
  baseMs: number;
  /** Retry a timed-out call too; off by default so a slow shard costs at most one timeout. */
  retryOnTimeout?: boolean;
}

export interface RetryQuestion {
  operation: 'query' | 'mutation' | 'subscription';
  failure: FailureKind;
  /** 0 for the first retry, 1 for the second, … */
  attempt: number;
}

/**
 * Whether a failed shard call may be sent again. Only queries are retried (the
 * router's `_entities` fetches are queries): a mutation that failed with a reset
 * connection or a 5xx may still have committed on the shard, and sending it again
 * could register the same case or booking twice. Only transient failures are
 * retried: a refused or reset connection, or a 5xx; never a timeout (unless the
 * policy says so, since it would double the wait), an unverified or drifted
 * deployment, an open circuit, or a missing token.
 */
export function shouldRetry(policy: RetryPolicy, question: RetryQuestion): boolean {
  if (question.operation !== 'query') return false;
  if (question.attempt >= policy.retries) return false;
  switch (question.failure) {
    case 'connection':
    case 'server-error':
      return true;
    case 'timeout':
      return policy.retryOnTimeout === true;
    default:
      return false;
  }
}

/** Full jitter: a random delay in [0, baseMs·2^attempt]. `random` returns [0, 1), like Math.random. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * (policy.baseMs * 2 ** attempt + 1));
}
