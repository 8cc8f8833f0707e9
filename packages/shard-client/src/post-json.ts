import { Pool } from 'undici';
import { tlsConnector, type TlsSource } from './tls';

/**
 * Why a POST got no JSON answer: `timeout` and `connection` before the answer's
 * head arrived; `body` once it had (`status` set): the body was cut off, too
 * slow, or not JSON.
 */
export class PostFailed extends Error {
  constructor(
    readonly failure: 'timeout' | 'connection' | 'body',
    readonly status?: number,
  ) {
    super(status === undefined ? failure : `${failure} (HTTP ${status})`);
  }
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * An idle socket is closed after 4 s (Node's and undici's default when a server
 * announces no Keep-Alive timeout), or before the server's announced timeout if
 * that comes sooner, so a call is not sent on a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * The end of one exchange: at `timeoutMs` it aborts `signal` (undici then drops the request, or
 * cuts the answer's body) and rejects `expired` with a timeout. undici notices an abort only once
 * the request has a connection: while its socket is still connecting (a cut link drops the SYN; a
 * TLS handshake gets no answer) an aborted request waits for undici's 10 s connect timeout, so the
 * caller races the request against `expired` too. `clear()` once the exchange is over.
 */
function deadline(timeoutMs: number): { signal: AbortSignal; expired: Promise<never>; clear: () => void } {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new PostFailed('timeout'));
    }, timeoutMs);
  });
  return { signal: abort.signal, expired, clear: () => clearTimeout(timer) };
}

/**
 * One service's keep-alive connection pool (a municipal deployment, or the regional subgraph) (undici's `Pool`: no limit on
 * connections, one request per connection at a time), and the JSON POST every
 * call to it makes. undici's own request API rather than fetch: the router makes
 * one call per shard of every `_entities` batch (290 for a national query), and
 * fetch builds a Request, a Response, Headers and web streams for each; this
 * path builds none of them (docs/benchmarks.md compares it with node:http).
 *
 * Transport security is decided here and only here: `tls` (the options, or a
 * function giving the current ones) is read for every new connection, so a
 * certificate reloaded from disk is used from the next connection on.
 */
export class JsonPost {
  private readonly pool: Pool | undefined;
  private readonly path: string;

  constructor(url: string, tls?: TlsSource) {
    const target = URL.canParse(url) ? new URL(url) : undefined;
    const usable = target && (target.protocol === 'http:' || target.protocol === 'https:');
    this.path = usable ? target.pathname + target.search : '/';
    this.pool = usable
      ? new Pool(target.origin, { keepAliveTimeout: IDLE_SOCKET_MS, connect: target.protocol === 'https:' ? tlsConnector(tls) : undefined })
      : undefined;
  }

  /**
   * POSTs `payload` (JSON) and parses the JSON answer (an object), whatever its
   * status; the whole exchange, answer read included, within `timeoutMs`.
   */
  async send(payload: string, headers: Record<string, string>, timeoutMs: number): Promise<JsonAnswer> {
    if (!this.pool) throw new PostFailed('connection'); // no http(s) URL: unreachable, as a refused connection is
    const { signal, expired, clear } = deadline(timeoutMs);
    let status: number | undefined;
    try {
      const request = this.pool.request({
        path: this.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: payload,
        signal,
        // The deadline bounds the whole exchange; undici's own per-phase timeouts must not cut in first.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const response = await Promise.race([request, expired]);
      status = response.statusCode;
      let text = await response.body.text();
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as fetch's json() drops it
      const body: unknown = JSON.parse(text);
      // A GraphQL answer is an object; `null` or `3` is no answer either.
      if (typeof body !== 'object' || body === null) throw new PostFailed('body', status);
      return { status, body };
    } catch (error) {
      if (error instanceof PostFailed) throw error;
      if (status !== undefined) throw new PostFailed('body', status);
      throw new PostFailed(signal.aborted ? 'timeout' : 'connection');
    } finally {
      clear();
    }
  }

  /**
   * The HTTP status of a GET of `path` on the same origin (e.g. `/ready`), within
   * `timeoutMs`; undefined when no answer came.
   */
  async status(path: string, timeoutMs: number): Promise<number | undefined> {
    if (!this.pool) return undefined;
    const { signal, expired, clear } = deadline(timeoutMs);
    try {
      const response = await Promise.race([this.pool.request({ path, method: 'GET', signal, headersTimeout: 0, bodyTimeout: 0 }), expired]);
      await response.body.dump();
      return response.statusCode;
    } catch {
      return undefined;
    } finally {
      clear();
    }
  }

  /** Closes the pool's connections (idle ones at once; calls in flight end first). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
