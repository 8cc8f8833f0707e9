import { parseEnv, z } from './config';
import type { DrainSettings } from './http-app';

const milliseconds = (fallback: number) => {
  const message = 'must be a whole number of milliseconds, 0 or more';
  return z.coerce.number({ error: message }).int(message).min(0, message).default(fallback);
};

/**
 * DRAIN_DELAY_MS and DRAIN_TIMEOUT_MS, read by every service: how a SIGTERM is drained (see
 * Listening.drain). Behind a load balancer or Kubernetes Service, the delay should outlast the
 * time it takes to notice /ready's 503 (probe period × failure threshold); 0 suits a process
 * nobody routes to by readiness. The timeout bounds how long requests in flight may run on.
 */
export function parseDrainEnv(service: string, source: NodeJS.ProcessEnv = process.env): DrainSettings {
  const config = parseEnv(
    service,
    {
      DRAIN_DELAY_MS: milliseconds(0),
      DRAIN_TIMEOUT_MS: milliseconds(10_000),
    },
    source,
  );
  return { delayMs: config.DRAIN_DELAY_MS, timeoutMs: config.DRAIN_TIMEOUT_MS };
}
