import type { GraphQLFormattedError } from 'graphql';
import { parse, print } from 'graphql';
import type { Logger } from '@sodertorn/service-kit';

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
}

/** One municipality's deployment of the municipal subgraph, as the router sees it. */
export class Shard {
  readonly code: string;
  readonly name: string;
  readonly url: string;
  private currentState: ShardState = 'unverified';
  private verification: Promise<ShardState> | undefined;
  private readonly expectedSdl: string;

  constructor(private readonly options: ShardOptions) {
    this.code = options.code;
    this.name = options.name;
    this.url = options.url;
    this.expectedSdl = normalizeSdl(options.expectedSdl);
  }

  get state(): ShardState {
    return this.currentState;
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
        if (typeof sdl !== 'string') throw new ShardUnavailable(this.code, 'it did not return its SDL');
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

  /** Sends one fetch, after making sure the deployment serves our schema. */
  async execute(request: SubgraphRequest, headers: Record<string, string>): Promise<SubgraphResponse> {
    const state = await this.verify();
    if (state === 'drifted') throw new ShardUnavailable(this.code, 'its deployment serves a schema that differs from the supergraph');
    if (state === 'unverified') throw new ShardUnavailable(this.code, 'its deployment cannot be reached');
    return this.post(request, headers);
  }

  private async post(request: SubgraphRequest, headers: Record<string, string>): Promise<SubgraphResponse> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ShardUnavailable(this.code, timedOut ? `no answer within ${this.options.timeoutMs} ms` : 'its deployment cannot be reached');
    }
    let body: SubgraphResponse;
    try {
      body = (await response.json()) as SubgraphResponse;
    } catch {
      throw new ShardUnavailable(this.code, `it answered HTTP ${response.status} without a GraphQL body`);
    }
    if (response.status >= 500 && !body.data) throw new ShardUnavailable(this.code, `it answered HTTP ${response.status}`);
    return body;
  }
}

/** Compares SDL by meaning rather than layout. */
export function normalizeSdl(sdl: string): string {
  return print(parse(sdl));
}
