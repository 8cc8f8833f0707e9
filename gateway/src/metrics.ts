import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Shard, ShardCall } from '@sodertorn/shard-client';

import { safeOperationName } from '@sodertorn/service-kit';

/**
 * How many distinct operation names get a series of their own; later ones count
 * as `other`. Clients choose the names, so without a cap each new one would add
 * series to every scrape for as long as the gateway runs.
 */
export const MAX_OPERATION_LABELS = 200;

/**
 * The gateway's Prometheus metrics, on a registry of its own (so two gateways
 * in one process, as in tests, do not share series). Labels are bounded: the
 * operation's name (or `anonymous`), an outcome, a kommunkod; never variables.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests answered by the gateway, by operation name and outcome.',
    labelNames: ['operation_name', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to sending its response.',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly shardCallDuration = new Histogram({
    name: 'gateway_shard_call_duration_seconds',
    help: 'Duration of calls to a municipal shard (retries included), by municipality and outcome (ok, error, circuit-open).',
    labelNames: ['municipality_code', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(shards: () => readonly Shard[]) {
    new Gauge({
      name: 'gateway_shard_up',
      help: '1 when the shard answered its last schema check or probe and its circuit is not open, else 0.',
      labelNames: ['municipality_code'] as const,
      registers: [this.registry],
      collect() {
        for (const shard of shards()) this.set({ municipality_code: shard.code }, shard.available ? 1 : 0);
      },
    });
  }

  private readonly operationLabels = new Set<string>();

  /** The label of an operation name: its safe form (safeOperationName), `anonymous`, or `other` once MAX_OPERATION_LABELS are in use. */
  operationLabel(name: string | null | undefined): string {
    const safe = safeOperationName(name);
    if (!safe) return 'anonymous';
    if (this.operationLabels.has(safe)) return safe;
    if (this.operationLabels.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationLabels.add(safe);
    return safe;
  }

  /** For Shard's `onCall`. */
  readonly observeShardCall = (call: ShardCall): void => {
    this.shardCallDuration.observe({ municipality_code: call.municipalityCode, outcome: call.outcome }, call.seconds);
  };

  /** Counts and times every GraphQL request that reaches Apollo. */
  plugin(): ApolloServerPlugin<BaseContext> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ operationName, errors, response }) => {
            const body = response.body;
            const hasErrors = Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
            const outcome = hasErrors ? 'error' : 'success';
            // operationName is the one resolved from the document, not the client's field, and
            // undefined until the operation was resolved (a request that did not parse is anonymous).
            this.requests.inc({ operation_name: this.operationLabel(operationName), outcome });
            this.requestDuration.observe({ outcome }, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }
}
