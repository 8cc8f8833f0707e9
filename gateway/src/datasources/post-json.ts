import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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
 * Keep-alive connection pools for every shard call of the process (fetch used
 * its global dispatcher). An idle socket is closed after 4 s (fetch's default
 * when a server announces no Keep-Alive timeout), or 1 s before the server's
 * announced timeout if that comes sooner, so a call is not sent on a socket the
 * server is closing; idle sockets do not hold the process open. The agent's
 * `timeout` applies to idle sockets only: a call waiting for its answer is
 * bounded by `timeoutMs` alone.
 */
const IDLE_SOCKET_MS = 4_000;
const AGENTS: Record<string, HttpAgent | undefined> = {
  'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/**
 * POSTs `payload` (JSON) to `url` and parses the JSON answer (an object),
 * whatever its status; the whole exchange, answer read included, within `timeoutMs`.
 *
 * node:http rather than fetch: the router makes one call per shard of every
 * `_entities` batch (290 for a national query), and fetch builds a Request (and,
 * following redirects, a clone of it), a Response, Headers, an abort signal and
 * web streams for each call. Profiled over 290 shards, that was about half the
 * CPU of the whole query, much of it in collecting that garbage.
 */
export function postJson(url: URL, payload: string, headers: Record<string, string>, timeoutMs: number, agent?: HttpAgent): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (!send) return reject(new PostFailed('connection'));
    let status: number | undefined;
    let timedOut = false;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (): void => settle(() => reject(status === undefined ? new PostFailed(timedOut ? 'timeout' : 'connection') : new PostFailed('body', status)));

    let request: ClientRequest;
    try {
      request = send(
        url,
        {
          method: 'POST',
          agent: agent ?? AGENTS[url.protocol],
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers, 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const answered = response.statusCode ?? 0;
          status = answered;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) fail();
          });
          response.on('end', () =>
            settle(() => {
              let text = Buffer.concat(chunks).toString('utf8');
              if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as fetch's json() drops it
              let body: unknown;
              try {
                body = JSON.parse(text);
              } catch {
                return reject(new PostFailed('body', answered));
              }
              // A GraphQL answer is an object; `null` or `3` is no answer either.
              if (typeof body !== 'object' || body === null) return reject(new PostFailed('body', answered));
              resolve({ status: answered, body });
            }),
          );
        },
      );
    } catch {
      // e.g. a header value Node refuses to send; fetch rejected such a call too
      return reject(new PostFailed('connection'));
    }
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy();
    }, timeoutMs);
    request.on('error', fail);
    request.end(payload);
  });
}
