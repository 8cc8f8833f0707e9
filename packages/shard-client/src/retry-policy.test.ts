import { retryDelayMs, shouldRetry, type FailureKind, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { retries: 1, baseMs: 50 };

describe('shouldRetry', () => {
  it.each<[string, RetryPolicy, 'query' | 'mutation' | 'subscription', FailureKind, number, boolean]>([
    ['a query refused by the connection', policy, 'query', 'connection', 0, true],
    ['a query answered with a 5xx', policy, 'query', 'server-error', 0, true],
    ['a query past its retries', policy, 'query', 'connection', 1, false],
    ['a query with retries off', { retries: 0, baseMs: 50 }, 'query', 'connection', 0, false],
    ['a query, second of three retries', { retries: 3, baseMs: 50 }, 'query', 'server-error', 1, true],
    ['a query that timed out', policy, 'query', 'timeout', 0, false],
    ['a query that timed out, timeouts allowed', { ...policy, retryOnTimeout: true }, 'query', 'timeout', 0, true],
    ['a query to an unverified deployment', policy, 'query', 'unverified', 0, false],
    ['a query to a drifted deployment', policy, 'query', 'drifted', 0, false],
    ['a query refused by an open circuit', policy, 'query', 'circuit-open', 0, false],
    ['a mutation refused by the connection', policy, 'mutation', 'connection', 0, false],
    ['a mutation answered with a 5xx', { retries: 5, baseMs: 50 }, 'mutation', 'server-error', 0, false],
    ['a mutation that timed out, timeouts allowed', { ...policy, retryOnTimeout: true }, 'mutation', 'timeout', 0, false],
    ['a subscription', policy, 'subscription', 'connection', 0, false],
  ])('%s → %s', (_name, p, operation, failure, attempt, expected) => {
    expect(shouldRetry(p, { operation, failure, attempt })).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [0, 0, 0],
    [0, 0.999999, 50],
    [1, 0.999999, 100],
    [2, 0.5, 100],
    [3, 0.999999, 400],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(retryDelayMs(policy, attempt, () => random)).toBe(expected);
  });

  it('stays within [0, base·2^attempt]', () => {
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(policy, 2);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(200);
    }
  });
});
