import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { regionServiceAgent } from '@sodertorn/testing';

export type ProxyMode = 'pass' | 'down' | 'crash-after-commit';

/**
 * What happens to a request whose body contains a rule's text, as a shard process would make it
 * happen:
 * - `kill-before`: the connection dies before the shard reads the request (killed, or its
 *   transaction rolled back): the call is never made;
 * - `kill-after`: the shard makes the call and commits, then the connection dies: the answer is lost;
 * - `freeze-during`: the shard is frozen (SIGSTOP) with the request in hand and resumes only on
 *   `thaw()`, long after the caller gave up: the call is made late;
 * - `freeze-after`: the shard makes the call, then freezes before answering; on `thaw()` its
 *   answer goes to a caller who is long gone.
 */
export type Fault = 'kill-before' | 'kill-after' | 'freeze-during' | 'freeze-after';

export interface FaultyProxy {
  url: string;
  setTarget(url: string): void;
  setMode(mode: ProxyMode): void;
  /**
   * Applies `fault` once: to the next request whose body contains `match` (every one of them, if
   * several) — a shard killed is restarted, a frozen one resumes.
   */
  addFault(match: string | string[], fault: Fault): void;
  clearFaults(): void;
  /** Lets every frozen request go on, as SIGCONT does; resolves when the shard has answered each of them. */
  thaw(): Promise<void>;
  /** How many requests are frozen now, waiting for `thaw()`. */
  frozenCount(): number;
  /** Stops listening, as a stopped service does: a connection is refused, nothing is sent. */
  stopListening(): Promise<void>;
  /** Listens again on the same port, as a restarted service does. */
  listenAgain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of one shard that can play dead: `down` refuses every
 * request; `crash-after-commit` lets a request whose body mentions `trigger`
 * reach the shard, waits until the shard has committed and answered, then cuts
 * the connection — the caller never learns the outcome, as when the process
 * dies right after its transaction. Faults added with `addFault` do the same and
 * more for the requests they match. With `onExchange` it also records the
 * traffic it passes.
 */
export async function startFaultyProxy(
  trigger: string,
  /** Told every exchange that passed, as the bytes went over the wire. */
  onExchange?: (request: string, response: string) => void,
): Promise<FaultyProxy> {
  let mode: ProxyMode = 'pass';
  let targetUrl: URL | undefined;
  let faults: { match: string[]; fault: Fault }[] = [];
  let frozen: (() => Promise<void>)[] = [];

  /** Sends the request to the shard; resolves with its answer, or undefined if the shard could not be reached. */
  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer } | undefined>((resolve) => {
      // Before a shard serving mutual TLS the proxy terminates TLS, as a sidecar would: it calls the
      // shard with the region's client certificate, so faults can still be matched in the plain body.
      const https = targetUrl!.protocol === 'https:';
      const upstreamRequest = (https ? httpsRequest : httpRequest)(
        {
          agent: https ? regionServiceAgent() : undefined,
          hostname: targetUrl!.hostname,
          port: targetUrl!.port,
          path: targetUrl!.pathname,
          method: req.method,
          headers: { ...req.headers, host: targetUrl!.host },
        },
        (upstream) => {
          const answer: Buffer[] = [];
          upstream.on('data', (chunk: Buffer) => answer.push(chunk));
          upstream.on('end', () => resolve({ status: upstream.statusCode ?? 502, headers: upstream.headers, body: Buffer.concat(answer) }));
        },
      );
      upstreamRequest.on('error', () => resolve(undefined));
      upstreamRequest.end(body);
    });

  const answer = (req: IncomingMessage, res: ServerResponse, body: Buffer, upstream: Awaited<ReturnType<typeof forward>>) => {
    if (!upstream || res.destroyed || req.socket.destroyed) return void req.socket.destroy();
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
    onExchange?.(body.toString(), upstream.body.toString());
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (mode === 'down' || !targetUrl) return req.socket.destroy();
      const text = body.toString();
      const matched = faults.find((f) => f.match.every((part) => text.includes(part)));
      faults = faults.filter((f) => f !== matched);
      const fault = matched?.fault;
      if (fault === 'kill-before') return req.socket.destroy();
      if (fault === 'freeze-during') {
        frozen.push(async () => answer(req, res, body, await forward(req, body)));
        return;
      }
      void forward(req, body).then((upstream) => {
        if (fault === 'kill-after' || (mode === 'crash-after-commit' && text.includes(trigger))) return req.socket.destroy();
        if (fault === 'freeze-after') return void frozen.push(async () => answer(req, res, body, upstream));
        answer(req, res, body, upstream);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    setTarget: (url) => (targetUrl = new URL(url)),
    setMode: (next) => (mode = next),
    addFault: (match, fault) => faults.push({ match: [match].flat(), fault }),
    clearFaults: () => (faults = []),
    async thaw() {
      const waiting = frozen;
      frozen = [];
      await Promise.all(waiting.map((resume) => resume()));
    },
    frozenCount: () => frozen.length,
    stopListening: close,
    listenAgain: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => (server.listening ? close() : Promise.resolve()),
  };
}
