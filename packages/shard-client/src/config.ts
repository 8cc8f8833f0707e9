import { env, parseEnv, z } from '@sodertorn/service-kit';
import type { RetryPolicy } from './retry-policy';

const count = (fallback: number, message = 'must be a whole number, 0 or more') =>
  z.coerce.number({ error: message }).int(message).min(0, message).default(fallback);
const positive = (fallback: number) => z.coerce.number({ error: 'must be a positive whole number' }).int().positive().default(fallback);

export interface ShardClientSettings {
  timeoutMs: number;
  retry: RetryPolicy;
  breaker: { failureThreshold: number; cooldownMs: number };
  /** Active probe (used by the gateway): a dead shard shows within intervalMs + timeoutMs. */
  probe: { intervalMs: number; timeoutMs: number };
}

/**
 * The shard client's settings, the same variables for every service that calls shards:
 * SHARD_TIMEOUT_MS (5000), SHARD_RETRIES (1), SHARD_RETRY_BASE_MS (50),
 * SHARD_BREAKER_FAILURES (5), SHARD_BREAKER_COOLDOWN_MS (10000),
 * SHARD_PROBE_INTERVAL_MS (5000), SHARD_PROBE_TIMEOUT_MS (2000).
 */
export function parseShardClientEnv(service: string, source: NodeJS.ProcessEnv = process.env): ShardClientSettings {
  const config = parseEnv(
    service,
    {
      SHARD_TIMEOUT_MS: env.milliseconds(5_000),
      SHARD_RETRIES: count(1),
      SHARD_RETRY_BASE_MS: count(50, 'must be a whole number of milliseconds, 0 or more'),
      SHARD_BREAKER_FAILURES: positive(5),
      SHARD_BREAKER_COOLDOWN_MS: env.milliseconds(10_000),
      SHARD_PROBE_INTERVAL_MS: env.milliseconds(5_000),
      SHARD_PROBE_TIMEOUT_MS: env.milliseconds(2_000),
    },
    source,
  );
  return {
    timeoutMs: config.SHARD_TIMEOUT_MS,
    retry: { retries: config.SHARD_RETRIES, baseMs: config.SHARD_RETRY_BASE_MS },
    breaker: { failureThreshold: config.SHARD_BREAKER_FAILURES, cooldownMs: config.SHARD_BREAKER_COOLDOWN_MS },
    probe: { intervalMs: config.SHARD_PROBE_INTERVAL_MS, timeoutMs: config.SHARD_PROBE_TIMEOUT_MS },
  };
}
