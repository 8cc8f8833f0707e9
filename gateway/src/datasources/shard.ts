import type { GraphQLFormattedError } from 'graphql';
import { parse, print } from 'graphql';
import type { Span } from '@opentelemetry/api';
import type { Logger } from '@sodertorn/service-kit';
import { CircuitBreaker, type BreakerState } from '../routing/circuit-breaker';
import { retryDelayMs, shouldRetry, type FailureKind, type RetryPolicy } from '../routing/retry-policy';
import { inClientSpan, operationNameAttribute, SpanAttributes } from '../tracing';
import type { Agent } from 'node:http';
import { postJson, PostFailed, type JsonAnswer } from './post-json';

/** The body a subgraph fetch sends and receives. */
export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string | null;
}

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/** A shard could not give an answer: down, too slow, or not speaking our schema. */
export class ShardUnavailable extends Error {
  constructor(
    readonly municipalityCode: string,
    readonly reason: string,
    /** What kind of failure it was; decides whether the call may be retried. */
    readonly kind: FailureKind = 'connection',
  ) {
    super(`municipality ${municipalityCode} unavailable: ${reason}`);
  }
}

/**
 * `unverified`: not yet shown to serve the composed SDL (unreachable at start);
 * `up`: verified; `drifted`: serves another SDL and is never used.
 */
export type ShardState = 'unverified' | 'up' | 'drifted';

export interface ShardOptions {
  code: string;
  name: string;
  url: string;
  /** Longest wait for one call to this shard, in milliseconds. */
  timeoutMs: number;
  /** The municipal subgraph SDL the supergraph was composed from. */
  expectedSdl: string;
  logger: Logger;
  /** Retries of failed queries; default 1 retry after up to 50 ms (see retry-policy.ts). */
  retry?: RetryPolicy;
  /** Default: open after 5 consecutive failed calls, for 10 000 ms. */
  breaker?: { failureThreshold: number; cooldownMs: number };
  /** Milliseconds since the epoch (the breaker's clock); injectable for tests. */
  now?: () => number;
  /** Told about every call's outcome and duration (metrics). */
  onCall?: (call: ShardCall) => void;
  /** The connection pool to this shard (mutual TLS with its CA and identity); default: the process's shared plain pools. */
  connection?: { readonly agent: Agent };
}

export type ShardCallOutcome = 'ok' | 'error' | 'circuit-open';
export interface ShardCall {
  municipalityCode: string;
  outcome: ShardCallOutcome;
  seconds: number;
}

/** The kind of GraphQL operation a call carries: only queries are ever retried. */
export type OperationKind = 'query' | 'mutation' | 'subscription';

export const DEFAULT_RETRY: RetryPolicy = { retries: 1, baseMs: 50 };
export const DEFAULT_BREAKER = { failureThreshold: 5, cooldownMs: 10_000 };

/** One municipality's deployment of the municipal subgraph, as the router sees it. */
export class Shard {
  readonly code: string;
  readonly name: string;
  readonly url: string;
  /** `url`, parsed once; undefined if it is no URL (every call then fails as unreachable). */
  private readonly target: URL | undefined;
  private currentState: ShardState = 'unverified';
  private verification: Promise<ShardState> | undefined;
  private readonly expectedSdl: string;
  private readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: ShardOptions) {
    this.code = options.code;
    this.name = options.name;
    this.url = options.url;
    this.target = URL.canParse(options.url) ? new URL(options.url) : undefined;
    this.expectedSdl = normalizeSdl(options.expectedSdl);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.breaker = new CircuitBreaker({ ...(options.breaker ?? DEFAULT_BREAKER), now: options.now });
  }

  get state(): ShardState {
    return this.currentState;
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** Up and its circuit not open: worth sending calls to. */
  get available(): boolean {
    return this.currentState === 'up' && this.breaker.state !== 'open';
  }

  /**
   * Asks the deployment for its SDL and compares it with the composed one.
   * A drifted deployment is marked down for good (until the gateway restarts);
   * an unreachable one stays unverified and is checked again on next use.
   */
  verify(): Promise<ShardState> {
    if (this.currentState !== 'unverified') return Promise.resolve(this.currentState);
    this.verification ??= this.post({ query: 'query ShardSdlCheck { _service { sdl } }' }, {})
      .then((response) => {
        const sdl = (response.data?._service as { sdl?: unknown } | undefined)?.sdl;
        if (typeof sdl !== 'string') throw new ShardUnavailable(this.code, 'it did not return its SDL', 'unverified');
        this.currentState = normalizeSdl(sdl) === this.expectedSdl ? 'up' : 'drifted';
        if (this.currentState === 'drifted') {
          this.options.logger.error({ municipalityCode: this.code, url: this.url }, 'shard serves a different SDL than the supergraph: marked down');
        }
        return this.currentState;
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ municipalityCode: this.code, reason: (error as Error).message }, 'shard SDL not verified yet');
        return 'unverified' as const;
      })
      .finally(() => {
        this.verification = undefined;
      });
    return this.verification;
  }

  /**
   * Sends one fetch, after making sure the deployment serves our schema and its
   * circuit is not open. A query that fails transiently is retried with jitter
   * (see retry-policy.ts); a mutation never is. Each call (with its retries)
   * counts once towards the circuit breaker.
   */
  execute(request: SubgraphRequest, headers: Record<string, string>, operation: OperationKind = 'mutation'): Promise<SubgraphResponse> {
    // One span per call (retries included); its attributes never carry variables.
    return inClientSpan(
      'municipality shard call',
      { [SpanAttributes.MUNICIPALITY_CODE]: this.code, [SpanAttributes.OPERATION_TYPE]: operation, ...operationNameAttribute(request.operationName) },
      (span) => this.call(request, headers, operation, span),
      (error) => (error instanceof ShardUnavailable ? error.kind : 'unexpected'),
    );
  }

  private async call(request: SubgraphRequest, headers: Record<string, string>, operation: OperationKind, span: Span): Promise<SubgraphResponse> {
    const started = performance.now();
    const admission = this.breaker.admit();
    if (!admission.allowed) {
      this.report('circuit-open', started, span);
      throw new ShardUnavailable(
        this.code,
        `its circuit is open after ${this.breaker.consecutiveFailures} consecutive failed calls; it will be tried again after ${new Date(admission.retryAt).toISOString()}`,
        'circuit-open',
      );
    }
    try {
      const response = await this.attempt(request, headers, operation, span);
      this.breaker.success();
      this.report('ok', started, span);
      span.setAttribute(SpanAttributes.GRAPHQL_ERRORS, response.errors?.length ?? 0);
      return response;
    } catch (error) {
      // A drifted deployment is down for good; counting it would only repeat that.
      if (error instanceof ShardUnavailable && error.kind === 'drifted') this.breaker.success();
      else this.breaker.failure();
      this.report('error', started, span);
      throw error;
    }
  }

  private async attempt(request: SubgraphRequest, headers: Record<string, string>, operation: OperationKind, span: Span): Promise<SubgraphResponse> {
    for (let attempt = 0; ; attempt++) {
      span.setAttribute(SpanAttributes.ATTEMPTS, attempt + 1);
      try {
        const state = await this.verify();
        if (state === 'drifted') throw new ShardUnavailable(this.code, 'its deployment serves a schema that differs from the supergraph', 'drifted');
        if (state === 'unverified') throw new ShardUnavailable(this.code, 'its deployment cannot be reached', 'unverified');
        return await this.post(request, headers);
      } catch (error) {
        if (!(error instanceof ShardUnavailable) || !shouldRetry(this.retry, { operation, failure: error.kind, attempt })) throw error;
        const delay = retryDelayMs(this.retry, attempt);
        this.options.logger.debug({ municipalityCode: this.code, reason: error.reason, attempt: attempt + 1, delayMs: delay }, 'retrying shard query');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private report(outcome: ShardCallOutcome, started: number, span: Span): void {
    span.setAttribute(SpanAttributes.OUTCOME, outcome);
    this.options.onCall?.({ municipalityCode: this.code, outcome, seconds: (performance.now() - started) / 1000 });
  }

  private async post(request: SubgraphRequest, headers: Record<string, string>): Promise<SubgraphResponse> {
    let answer: JsonAnswer;
    try {
      if (!this.target) throw new PostFailed('connection');
      answer = await postJson(this.target, JSON.stringify(request), headers, this.options.timeoutMs, this.options.connection?.agent);
    } catch (error) {
      const { failure, status = 0 } = error instanceof PostFailed ? error : new PostFailed('connection');
      if (failure === 'timeout') throw new ShardUnavailable(this.code, `no answer within ${this.options.timeoutMs} ms`, 'timeout');
      if (failure === 'connection') throw new ShardUnavailable(this.code, 'its deployment cannot be reached', 'connection');
      throw new ShardUnavailable(this.code, `it answered HTTP ${status} without a GraphQL body`, status >= 500 ? 'server-error' : 'unverified');
    }
    const body = answer.body as SubgraphResponse;
    if (answer.status >= 500 && !body.data) throw new ShardUnavailable(this.code, `it answered HTTP ${answer.status}`, 'server-error');
    return body;
  }
}

/** Compares SDL by meaning rather than layout. */
export function normalizeSdl(sdl: string): string {
  return print(parse(sdl));
}
