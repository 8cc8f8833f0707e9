import type { GraphQLFormattedError } from 'graphql';
import type { Span } from '@opentelemetry/api';
import type { Logger } from '@sodertorn/service-kit';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { JsonPost, PostFailed, type JsonAnswer } from './post-json';
import { retryDelayMs, shouldRetry, type RetryPolicy } from './retry-policy';
import type { SchemaCheck } from './schema-check';
import { ShardUnavailable } from './shard-errors';
import type { TlsSource } from './tls';
import { inClientSpan, operationNameAttribute, SpanAttributes } from './tracing';

/** The body of a GraphQL call to a shard, and its answer. */
export interface ShardRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string | null;
}

export interface ShardResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/**
 * `unverified`: never shown to serve a compatible schema since start (unreachable so far);
 * `up`: its schema checked and its last check or probe answered;
 * `down`: it was up, but the last check or probe got no answer;
 * `drifted`: it answers with a schema the check refused; never sent data.
 */
export type ShardState = 'unverified' | 'up' | 'down' | 'drifted';

/** The kind of GraphQL operation a call carries: only queries are ever retried. */
export type OperationKind = 'query' | 'mutation' | 'subscription';

export type ShardCallOutcome = 'ok' | 'error' | 'circuit-open';
export interface ShardCall {
  municipalityCode: string;
  outcome: ShardCallOutcome;
  seconds: number;
}

/** One municipality's deployment as a caller sees it: where it is and how to secure the connection. */
export interface ShardTarget {
  code: string;
  name: string;
  /** Its GraphQL endpoint, `http://` (loopback development) or `https://`. */
  url: string;
  /** TLS of the connections to it (an `https:` URL only); see tls.ts. */
  tls?: TlsSource;
}

export interface ShardOptions extends ShardTarget {
  /** Longest wait for one call to this shard, in milliseconds. */
  timeoutMs: number;
  /** Judges the SDL the deployment serves (schema-check.ts). */
  schemaCheck: SchemaCheck;
  logger: Logger;
  /** Retries of failed queries; default DEFAULT_RETRY. */
  retry?: RetryPolicy;
  /** Default DEFAULT_BREAKER. */
  breaker?: { failureThreshold: number; cooldownMs: number };
  /** Milliseconds since the epoch (the breaker's clock); injectable for tests. */
  now?: () => number;
  /** Told about every call's outcome and duration (metrics). */
  onCall?: (call: ShardCall) => void;
}

/** One retry after up to 50 ms (see retry-policy.ts). */
export const DEFAULT_RETRY: RetryPolicy = { retries: 1, baseMs: 50 };
/** Open after 5 consecutive failed calls, for 10 000 ms. */
export const DEFAULT_BREAKER = { failureThreshold: 5, cooldownMs: 10_000 };

const SDL_CHECK = JSON.stringify({ query: 'query ShardSdlCheck { _service { sdl } }' });

/** One municipality's deployment: its connection pool, circuit breaker, retries and schema state. */
export class Shard {
  readonly code: string;
  readonly name: string;
  readonly url: string;
  private currentState: ShardState = 'unverified';
  private checking: Promise<ShardState> | undefined;
  private readonly post: JsonPost;
  private readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: ShardOptions) {
    this.code = options.code;
    this.name = options.name;
    this.url = options.url;
    this.post = new JsonPost(options.url, options.tls);
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
   * Makes sure the deployment was checked: one that is not up (and not drifted)
   * is asked for its SDL now. A drifted one stays drifted until a probe finds
   * it fixed (probe()).
   */
  verify(): Promise<ShardState> {
    if (this.currentState === 'up' || this.currentState === 'drifted') return Promise.resolve(this.currentState);
    return this.check(this.options.timeoutMs);
  }

  /** Asks the deployment for its SDL whatever its state (the active probe), within `timeoutMs`. */
  probe(timeoutMs = this.options.timeoutMs): Promise<ShardState> {
    return this.check(timeoutMs);
  }

  /** One SDL check at a time; its answer sets the state. */
  private check(timeoutMs: number): Promise<ShardState> {
    this.checking ??= this.askSdl(timeoutMs)
      .then((sdl) => {
        let verdict;
        try {
          verdict = this.options.schemaCheck(sdl);
        } catch (error) {
          verdict = { compatible: false as const, reason: (error as Error).message };
        }
        if (verdict.compatible) return this.become('up');
        return this.become('drifted', verdict.reason);
      })
      .catch((error: unknown) => this.become(this.currentState === 'unverified' ? 'unverified' : 'down', (error as Error).message))
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private async askSdl(timeoutMs: number): Promise<string> {
    const answer = await this.send(SDL_CHECK, {}, timeoutMs);
    const sdl = ((answer.data as { _service?: { sdl?: unknown } } | null | undefined)?._service as { sdl?: unknown } | undefined)?.sdl;
    if (typeof sdl !== 'string') throw new Error('it did not return its SDL');
    return sdl;
  }

  /** Sets the state, logging each change once (a dead shard probed every few seconds logs once). */
  private become(state: ShardState, reason?: string): ShardState {
    const before = this.currentState;
    this.currentState = state;
    if (state === before) return state;
    const about = { municipalityCode: this.code, url: this.url, from: before, to: state, reason };
    if (state === 'up') this.options.logger.info(about, 'shard up: its schema checked');
    else if (state === 'drifted') this.options.logger.error(about, 'shard serves a schema the check refused: marked down');
    else this.options.logger.warn(about, 'shard not answering');
    return state;
  }

  /**
   * Sends one call, after making sure the deployment serves our schema and its
   * circuit is not open. A query that fails transiently is retried with jitter
   * (see retry-policy.ts); a mutation never is. Each call (with its retries)
   * counts once towards the circuit breaker.
   */
  execute(request: ShardRequest, headers: Record<string, string>, operation: OperationKind = 'mutation'): Promise<ShardResponse> {
    // One span per call (retries included); its attributes never carry variables.
    return inClientSpan(
      'municipality shard call',
      { [SpanAttributes.MUNICIPALITY_CODE]: this.code, [SpanAttributes.OPERATION_TYPE]: operation, ...operationNameAttribute(request.operationName) },
      (span) => this.call(JSON.stringify(request), headers, operation, span),
      (error) => (error instanceof ShardUnavailable ? error.kind : 'unexpected'),
    );
  }

  private async call(payload: string, headers: Record<string, string>, operation: OperationKind, span: Span): Promise<ShardResponse> {
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
      const response = await this.attempt(payload, headers, operation, span);
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

  private async attempt(payload: string, headers: Record<string, string>, operation: OperationKind, span: Span): Promise<ShardResponse> {
    for (let attempt = 0; ; attempt++) {
      span.setAttribute(SpanAttributes.ATTEMPTS, attempt + 1);
      try {
        const state = await this.verify();
        if (state === 'drifted') throw new ShardUnavailable(this.code, 'its deployment serves a schema that lacks what the supergraph routes to it', 'drifted');
        if (state !== 'up') throw new ShardUnavailable(this.code, 'its deployment cannot be reached', 'unverified');
        return await this.send(payload, headers, this.options.timeoutMs);
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

  private async send(payload: string, headers: Record<string, string>, timeoutMs: number): Promise<ShardResponse> {
    let answer: JsonAnswer;
    try {
      answer = await this.post.send(payload, headers, timeoutMs);
    } catch (error) {
      const { failure, status = 0 } = error instanceof PostFailed ? error : new PostFailed('connection');
      if (failure === 'timeout') throw new ShardUnavailable(this.code, `no answer within ${timeoutMs} ms`, 'timeout');
      if (failure === 'connection') throw new ShardUnavailable(this.code, 'its deployment cannot be reached', 'connection');
      throw new ShardUnavailable(this.code, `it answered HTTP ${status} without a GraphQL body`, status >= 500 ? 'server-error' : 'unverified');
    }
    const body = answer.body as ShardResponse;
    if (answer.status >= 500 && !body.data) throw new ShardUnavailable(this.code, `it answered HTTP ${answer.status}`, 'server-error');
    return body;
  }

  /** Closes its connection pool. */
  close(): Promise<void> {
    return this.post.close();
  }
}
