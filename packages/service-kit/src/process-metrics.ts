import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process's default metrics (CPU, memory, event-loop lag, handles, GC), collected once per
 * process however many apps it builds. They carry no request data, so nothing personal.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The text /metrics answers: the process's default metrics and the service's own. */
export async function metricsText(own: readonly Registry[]): Promise<{ contentType: string; body: string }> {
  const merged = Registry.merge([processMetrics(), ...own]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
