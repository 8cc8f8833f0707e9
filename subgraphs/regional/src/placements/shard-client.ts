import { GraphQLError } from 'graphql';
import type { TokenProvider } from '@sodertorn/auth';
import { ServiceTls, type MunicipalityEntry, type PeerConnection } from '@sodertorn/service-kit';

/** A shard refused a step with a reason of its own (e.g. NO_FREE_PLACES): passed on to the client as is. */
export class ShardRefusal extends GraphQLError {
  /** The shard's own error extensions (its code and any details it gives), for callers that act on them. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(municipalityCode: string, message: string, code: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, { extensions: { code, municipalityCode } });
    this.details = details;
  }
}

/**
 * A shard could not be reached or did not answer in time: the step's outcome is unknown (it may
 * still be made when a frozen shard resumes). A client error of its own, so that wherever it is
 * not turned into a more precise one (the saga does), the caller still learns which municipality
 * was unavailable rather than an internal error.
 */
export class ShardUnreachable extends GraphQLError {
  constructor(
    readonly municipalityCode: string,
    readonly reason: string,
  ) {
    super(`Municipality ${municipalityCode} could not be reached: ${reason}. Nothing was changed by this request; try again.`, {
      extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode },
    });
  }
}

export interface ShardClientOptions {
  registry: readonly MunicipalityEntry[];
  /** The regional subgraph's own service token (role SERVICE), never a user's: a fresh one each call (see clientCredentialsTokenProvider). */
  serviceToken: TokenProvider | undefined;
  timeoutMs: number;
  /** The certificate the region presents to shards (mutual TLS); default: none, and plain http shards allowed (tests). */
  tls?: ServiceTls;
}

/**
 * How the regional subgraph calls a municipality's deployment for one step of a
 * placement: straight to that shard, with the region's service token, which
 * the shard verifies and authorizes like any other caller.
 */
export class ShardClient {
  private readonly connections: ReadonlyMap<string, PeerConnection>;

  constructor(private readonly options: ShardClientOptions) {
    const tls = options.tls ?? ServiceTls.plainHttpOnly();
    // Each shard over its own pool: its municipality's CA and the identity the registry expects of it.
    this.connections = new Map(options.registry.map((m) => [m.code, tls.connect(m.url, m.tls, `municipality ${m.code}`)]));
  }

  knows(code: string): boolean {
    return this.connections.has(code);
  }

  codes(): string[] {
    return [...this.connections.keys()].sort();
  }

  async call<T>(municipalityCode: string, query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> {
    const connection = this.connections.get(municipalityCode);
    if (!connection) throw new ShardRefusal(municipalityCode, `Unknown municipality ${municipalityCode}.`, 'UNKNOWN_MUNICIPALITY');
    if (!this.options.serviceToken) throw new ShardUnreachable(municipalityCode, 'the regional subgraph has no service credentials (SERVICE_CLIENT_ID)');
    let token: string;
    try {
      token = await this.options.serviceToken();
    } catch (error) {
      throw new ShardUnreachable(municipalityCode, `the regional subgraph could not get its service token (${(error as Error).message})`);
    }
    let response: Response;
    try {
      response = await connection.fetch(connection.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new ShardUnreachable(
        municipalityCode,
        (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : 'connection failed',
      );
    }
    let body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new ShardUnreachable(municipalityCode, `HTTP ${response.status} without a GraphQL body`);
    }
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      if (code === 'INTERNAL_SERVER_ERROR' || response.status >= 500) throw new ShardUnreachable(municipalityCode, `it failed (${code})`);
      throw new ShardRefusal(municipalityCode, error.message, code, error.extensions);
    }
    return body.data as T;
  }
}
